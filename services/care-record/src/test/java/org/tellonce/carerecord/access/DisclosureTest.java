package org.tellonce.carerecord.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.junit.jupiter.api.Test;
import org.tellonce.platform.decision.DecisionResponse;
import org.tellonce.platform.decision.DecisionResponse.ItemDecision;
import org.tellonce.platform.decision.Obligations;

class DisclosureTest {

  static ItemDecision permit(String... obligations) {
    return new ItemDecision("RelatedPerson/1", DecisionResponse.PERMIT, List.of(), List.of(obligations));
  }

  static RelatedPerson withContactDetails() {
    RelatedPerson person = new RelatedPerson();
    person.addName().setFamily("Example");
    person.addAddress().setPostalCode("LS1 4AB");
    person.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("01632 960000");
    return person;
  }

  @Test
  void aRestrictedPersonsContactDetailsAreTakenOutAndTheResourceMarked() {
    RelatedPerson shown = (RelatedPerson) Disclosure.apply(withContactDetails(),
        permit(Obligations.AUDIT, Obligations.REDACT_CONTACT_DETAILS));
    assertThat(shown.hasAddress()).isFalse();
    assertThat(shown.hasTelecom()).isFalse();
    assertThat(shown.getNameFirstRep().getFamily()).isEqualTo("Example");
    assertThat(shown.getMeta().getSecurity()).anyMatch(c -> "REDACTED".equals(c.getCode()));
  }

  @Test
  void otherwiseTheResourceIsUnchanged() {
    RelatedPerson shown = (RelatedPerson) Disclosure.apply(withContactDetails(), permit(Obligations.AUDIT));
    assertThat(shown.hasAddress()).isTrue();
    assertThat(shown.getMeta().hasSecurity()).isFalse();
  }

  @Test
  void anObligationThisServiceCannotCarryOutMakesThePermitUnusable() {
    assertThat(Disclosure.understood(permit(Obligations.AUDIT))).isTrue();
    assertThat(Disclosure.understood(permit(Obligations.AUDIT, "encrypt-at-rest-in-the-browser"))).isFalse();
    DataClass related = DataClass.of("RelatedPerson", List.of());
    AccessGate.Visibility visibility = new AccessGate.Visibility(1, java.util.Map.of(related.key(),
        permit("encrypt-at-rest-in-the-browser"), "Flag|R", permit(Obligations.AUDIT)));
    assertThat(visibility.permits(related)).isFalse();
    assertThat(visibility.permits(DataClass.of("Flag", List.of("R")))).isTrue();
    assertThat(visibility.permittedKeys()).containsExactly("Flag|R");
  }

  @Test
  void aRedactObligationTakesOutTheNamedFreeTextAndMarksTheResource() {
    org.hl7.fhir.r4.model.Condition condition = new org.hl7.fhir.r4.model.Condition();
    condition.getCode().setText("Low mood");
    condition.addNote().setText("Her neighbour told us about the arguments at home");
    condition.getText().setStatus(org.hl7.fhir.r4.model.Narrative.NarrativeStatus.GENERATED)
        .setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">Neighbour's account</div>");
    ItemDecision decision = permit(Obligations.AUDIT, Obligations.redact(List.of("text", "note")));
    assertThat(Disclosure.understood(decision)).isTrue();
    org.hl7.fhir.r4.model.Condition shown = (org.hl7.fhir.r4.model.Condition) Disclosure.apply(condition, decision);
    assertThat(shown.hasNote()).isFalse();
    assertThat(shown.hasText()).isFalse();
    assertThat(shown.getCode().getText()).isEqualTo("Low mood");
    assertThat(shown.getMeta().getSecurity()).anyMatch(c -> "REDACTED".equals(c.getCode()));
  }

  @Test
  void aRedactObligationForStructureTheRecordNeedsIsNotCarriedOut() {
    assertThat(Disclosure.understood(permit(Obligations.AUDIT, "redact:identifier"))).isFalse();
    assertThat(Disclosure.understood(permit(Obligations.AUDIT, "redact:"))).isFalse();
  }
}
