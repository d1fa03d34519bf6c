package org.tellonce.platform.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.junit.jupiter.api.Test;
import org.tellonce.platform.fhir.FhirException;

class AdmissionTest {

  /** Calls that stay in flight until the test answers them. */
  final List<UniEmitter<? super String>> open = new ArrayList<>();
  final AtomicInteger started = new AtomicInteger();

  Uni<String> held() {
    started.incrementAndGet();
    return Uni.createFrom().emitter(open::add);
  }

  @Test
  void callsBeyondTheLimitAreRefusedAtOnceWithoutReachingTheDependency() {
    Admission admission = new Admission("consent", 2);
    var first = admission.admit(this::held).subscribe().withSubscriber(UniAssertSubscriber.create());
    var second = admission.admit(this::held).subscribe().withSubscriber(UniAssertSubscriber.create());
    var third = admission.admit(this::held).subscribe().withSubscriber(UniAssertSubscriber.create());

    FhirException busy = (FhirException) third.assertFailedWith(FhirException.class).getFailure();
    assertThat(busy.status()).isEqualTo(503);
    assertThat(busy.issueType()).isEqualTo(IssueType.THROTTLED);
    assertThat(busy.retryAfter()).isEqualTo("1");
    assertThat(busy.getMessage()).contains("consent service");
    assertThat(started).as("the refused call never reached the dependency").hasValue(2);
    assertThat(admission.inFlight()).isEqualTo(2);
    assertThat(admission.refused()).isEqualTo(1);

    open.get(0).complete("answer");
    first.assertCompleted().assertItem("answer");
    assertThat(admission.inFlight()).isEqualTo(1);
    var fourth = admission.admit(this::held).subscribe().withSubscriber(UniAssertSubscriber.create());
    assertThat(started).as("a place freed by an answer is taken by the next call").hasValue(3);
    fourth.assertNotTerminated();
    second.assertNotTerminated();
  }

  @Test
  void aFailedOrCancelledCallGivesItsPlaceBack() {
    Admission admission = new Admission("consent", 1);
    var failing = admission.admit(this::held).subscribe().withSubscriber(UniAssertSubscriber.create());
    open.get(0).fail(new IllegalStateException("timed out"));
    failing.assertFailedWith(IllegalStateException.class);
    assertThat(admission.inFlight()).isZero();

    var cancelled = admission.admit(this::held).subscribe().withSubscriber(UniAssertSubscriber.create());
    assertThat(admission.inFlight()).isEqualTo(1);
    cancelled.cancel();
    assertThat(admission.inFlight()).isZero();

    Admission throwing = new Admission("consent", 1);
    throwing.admit(() -> {
      throw new IllegalStateException("no client");
    }).subscribe().withSubscriber(UniAssertSubscriber.create()).assertFailedWith(IllegalStateException.class);
    assertThat(throwing.inFlight()).as("a call that could not even start holds no place").isZero();
  }

  @Test
  void aLimitBelowOneIsAConfigurationMistake() {
    assertThatThrownBy(() -> new Admission("consent", 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
  }

  @Test
  void onlyA503AsksForARetry() {
    assertThat(FhirException.unavailable("down").retryAfter()).isEqualTo("5");
    assertThat(FhirException.badRequest("bad").retryAfter()).isNull();
  }
}
