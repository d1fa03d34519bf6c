package org.tellonce.referral.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.referral.workflow.Workflow.Party;
import org.tellonce.referral.workflow.Workflow.Status;

class WorkflowTest {

  @ParameterizedTest
  @CsvSource({
      "requested,   'received, accepted, on-hold, rejected, cancelled'",
      "received,    'accepted, on-hold, rejected, cancelled'",
      "accepted,    'in-progress, on-hold, cancelled'",
      "in-progress, 'on-hold, completed, cancelled'",
      "completed,   ''",
      "rejected,    ''",
      "cancelled,   ''"})
  void eachStatusAllowsExactlyTheseMoves(String from, String moves) {
    assertThat(Workflow.codes(Workflow.next(Status.of(from), null))).isEqualTo(moves);
  }

  @Test
  void anOnHoldReferralReturnsOnlyToWhereItWasHeld() {
    assertThat(Workflow.next(Status.ON_HOLD, Status.IN_PROGRESS))
        .isEqualTo(EnumSet.of(Status.IN_PROGRESS, Status.CANCELLED));
    assertThatThrownBy(() -> Workflow.check(Status.ON_HOLD, Status.IN_PROGRESS, Status.ACCEPTED, false))
        .isInstanceOf(FhirException.class)
        .hasMessageContaining("allowed: in-progress, cancelled");
  }

  @Test
  void aMoveNotAllowedIsAConflictNamingTheAllowedOnes() {
    assertThatThrownBy(() -> Workflow.check(Status.REQUESTED, null, Status.COMPLETED, false))
        .isInstanceOfSatisfying(FhirException.class, e -> assertThat(e.status()).isEqualTo(409))
        .hasMessageContaining("requested cannot become completed")
        .hasMessageContaining("allowed: received, accepted, on-hold, rejected, cancelled");
    assertThatThrownBy(() -> Workflow.check(Status.COMPLETED, null, Status.IN_PROGRESS, false))
        .hasMessageContaining("it is closed");
  }

  @Test
  void onlyTheSinglePointOfAccessRejects_aTeamRedirects() {
    assertThatThrownBy(() -> Workflow.check(Status.RECEIVED, null, Status.REJECTED, false))
        .isInstanceOfSatisfying(FhirException.class, e -> assertThat(e.status()).isEqualTo(409))
        .hasMessageContaining("redirect it to the right service")
        .hasMessageContaining("allowed: accepted, on-hold, cancelled, redirect");
    Workflow.check(Status.RECEIVED, null, Status.REJECTED, true);
  }

  @Test
  void theReferrerCancels_theReceiverMakesEveryOtherMove() {
    assertThat(Workflow.mover(Status.CANCELLED)).isEqualTo(Party.REFERRER);
    for (Status status : EnumSet.complementOf(EnumSet.of(Status.CANCELLED))) {
      assertThat(Workflow.mover(status)).isEqualTo(Party.RECEIVER);
    }
  }

  @Test
  void rejectingCancellingAndHoldingNeedAReason() {
    assertThat(EnumSet.allOf(Status.class).stream().filter(Workflow::needsReason))
        .containsExactlyInAnyOrder(Status.REJECTED, Status.CANCELLED, Status.ON_HOLD);
  }

  @Test
  void onlyAReferralNotYetUnderWayMayBeRedirected() {
    assertThat(EnumSet.allOf(Status.class).stream().filter(Workflow::redirectable))
        .containsExactlyInAnyOrder(Status.REQUESTED, Status.RECEIVED, Status.ACCEPTED, Status.ON_HOLD);
  }

  @Test
  void anUnknownStatusIsABadRequest() {
    assertThatThrownBy(() -> Status.of("done"))
        .isInstanceOfSatisfying(FhirException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining("one of [requested, received");
  }
}
