package org.tellonce.carerecord.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.tellonce.platform.decision.DecisionRequest;
import org.tellonce.platform.decision.DecisionResponse;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.security.Actor;

/**
 * The gate's reuse of consent answers, against a stand-in decision point that counts the questions it is asked (the
 * real one, and that no read outlives an acknowledged change, is proved by the system tests).
 */
class AccessGateTest {

  static final Actor NURSE = new Actor("nurse-id", "nurse.mht", "MHT01", Set.of("clinician"), null);
  static final List<DataClass> ALLERGIES = List.of(DataClass.of("AllergyIntolerance", List.of()));

  /** A decision point answering PERMIT with the given lease, counting questions (not a bean of the application). */
  @jakarta.enterprise.inject.Vetoed
  static final class Counting implements ConsentClient {
    final AtomicInteger asked = new AtomicInteger();
    final long lease;
    boolean down;

    Counting(long lease) {
      this.lease = lease;
    }

    @Override
    public Uni<DecisionResponse> decide(DecisionRequest request) {
      asked.incrementAndGet();
      if (down) {
        return Uni.createFrom().failure(new java.net.ConnectException("refused"));
      }
      return Uni.createFrom().item(new DecisionResponse(asked.get(), request.data().stream()
          .map(item -> new DecisionResponse.ItemDecision(item.id(), DecisionResponse.PERMIT, List.of(), List.of("audit")))
          .toList(), lease));
    }
  }

  static AccessGate gate(ConsentClient consent, Duration maxLease) {
    return gate(consent, maxLease, 64);
  }

  static AccessGate gate(ConsentClient consent, Duration maxLease, int maxInFlight) {
    AccessGate gate = new AccessGate();
    gate.consent = consent;
    gate.maxLease = maxLease;
    gate.gate = "consent";
    gate.maxInFlight = maxInFlight;
    gate.registry = new SimpleMeterRegistry();
    gate.init();
    return gate;
  }

  static AccessGate.Visibility ask(AccessGate gate, Actor actor, String person) {
    return gate.decide(actor, person, "TREAT", ALLERGIES).await().indefinitely();
  }

  @Test
  void reusesAnAnswerForTheSameQuestionWithinItsLeaseOnly() throws Exception {
    Counting consent = new Counting(300);
    AccessGate gate = gate(consent, Duration.ofSeconds(2));
    assertThat(ask(gate, NURSE, "p1").permits(ALLERGIES.get(0))).isTrue();
    ask(gate, NURSE, "p1");
    assertThat(consent.asked).as("the same question within the lease").hasValue(1);

    ask(gate, NURSE, "p2");
    ask(gate, new Actor("sw-id", "sw.council", "LA001", Set.of("social-worker"), null), "p1");
    gate.decide(NURSE, "p1", "EMERGENCY", ALLERGIES).await().indefinitely();
    gate.decide(NURSE, "p1", "TREAT", List.of(DataClass.of("AllergyIntolerance", List.of("R")))).await().indefinitely();
    assertThat(consent.asked).as("another person, user, purpose or class is another question").hasValue(5);

    Thread.sleep(350);
    ask(gate, NURSE, "p1");
    assertThat(consent.asked).as("after the lease the question is asked again").hasValue(6);
  }

  /**
   * A decision point that answers only when the test says so, keeping each question until then (a lambda, not a class
   * implementing the client: Quarkus would take a second class declaring its endpoint for a duplicate resource).
   */
  static final class Waiting {
    final List<io.smallrye.mutiny.subscription.UniEmitter<? super DecisionResponse>> waiting =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    final ConsentClient client = request -> Uni.createFrom().emitter(waiting::add);

    void answer(int question, long lease) {
      waiting.get(question).complete(new DecisionResponse(question + 1, List.of(new DecisionResponse.ItemDecision(
          ALLERGIES.get(0).key(), DecisionResponse.PERMIT, List.of(), List.of("audit"))), lease));
    }
  }

  static io.smallrye.mutiny.helpers.test.UniAssertSubscriber<AccessGate.Visibility> reading(AccessGate gate,
      String person) {
    return gate.decide(NURSE, person, "TREAT", ALLERGIES).subscribe()
        .withSubscriber(io.smallrye.mutiny.helpers.test.UniAssertSubscriber.create());
  }

  @Test
  void readsWaitingForTheSameQuestionShareOneCallToTheConsentService() {
    Waiting consent = new Waiting();
    AccessGate gate = gate(consent.client, Duration.ofSeconds(2));
    var first = reading(gate, "p1");
    var second = reading(gate, "p1");
    var other = reading(gate, "p2");
    assertThat(consent.waiting).as("one question for p1 however many reads wait for it, one for p2").hasSize(2);

    consent.answer(0, 10_000);
    assertThat(first.awaitItem().getItem().permits(ALLERGIES.get(0))).isTrue();
    assertThat(second.awaitItem().getItem().revision()).as("the same answer").isEqualTo(1);
    other.assertNotTerminated();
    assertThat(gate.registry.get("tellonce.consent.in-flight").gauge().value()).isEqualTo(1.0);
  }

  @Test
  void aReadDoesNotRestOnAQuestionSentBeforeItBeganWhoseLeaseDoesNotCoverIt() {
    // the answer carries no lease: a read that joined the question after it was sent must ask its own, since a change
    // acknowledged between the question and the read would not be in the answer
    Waiting consent = new Waiting();
    AccessGate gate = gate(consent.client, Duration.ofSeconds(2));
    var first = reading(gate, "p1");
    var joined = reading(gate, "p1");
    assertThat(consent.waiting).hasSize(1);
    consent.answer(0, 0);
    assertThat(first.awaitItem().getItem().revision()).isEqualTo(1);
    joined.assertNotTerminated();
    assertThat(consent.waiting).as("the read that joined asks again").hasSize(2);
    consent.answer(1, 0);
    assertThat(joined.awaitItem().getItem().revision()).isEqualTo(2);
  }

  @Test
  void anAnswerReadInTheLastQuarterOfItsLeaseIsRenewedInTheBackgroundAndUsedMeanwhile() throws Exception {
    Counting consent = new Counting(2_000);
    AccessGate gate = gate(consent, Duration.ofSeconds(5));
    assertThat(ask(gate, NURSE, "p1").revision()).isEqualTo(1);
    Thread.sleep(300);
    ask(gate, NURSE, "p1");
    assertThat(consent.asked).as("early in the lease: not asked again").hasValue(1);
    Thread.sleep(1_300);
    assertThat(ask(gate, NURSE, "p1").revision()).as("the current answer, still leased").isEqualTo(1);
    assertThat(consent.asked).as("asked again in the background").hasValue(2);
    assertThat(gate.registry.get("tellonce.consent.renewed").functionCounter().count()).isEqualTo(1.0);
    Thread.sleep(700);
    assertThat(ask(gate, NURSE, "p1").revision()).as("past the first lease: the renewed answer, not waited for")
        .isEqualTo(2);
  }

  @Test
  void aRenewalThatFailsLeavesTheAnswerOnlyUntilItsLeaseEndsThenFailsClosed() throws Exception {
    Counting consent = new Counting(2_000);
    AccessGate gate = gate(consent, Duration.ofSeconds(5));
    ask(gate, NURSE, "p1");
    consent.down = true;
    Thread.sleep(1_600);
    assertThat(ask(gate, NURSE, "p1").permits(ALLERGIES.get(0))).as("still within its lease").isTrue();
    assertThat(consent.asked).hasValue(2);
    Thread.sleep(700);
    assertThatThrownBy(() -> ask(gate, NURSE, "p1")).isInstanceOf(FhirException.class)
        .hasMessageContaining("cannot be reached");
  }

  @Test
  void noLeaseOrNoMaximumMeansAskingEveryTime() {
    Counting unleased = new Counting(0);
    AccessGate gate = gate(unleased, Duration.ofSeconds(2));
    ask(gate, NURSE, "p1");
    ask(gate, NURSE, "p1");
    assertThat(unleased.asked).hasValue(2);

    Counting leased = new Counting(10_000);
    AccessGate capped = gate(leased, Duration.ZERO);
    ask(capped, NURSE, "p1");
    ask(capped, NURSE, "p1");
    assertThat(leased.asked).as("tellonce.consent.max-lease=0").hasValue(2);
  }

  @Test
  void aFailedQuestionIsNeverReusedAndFailsClosed() {
    Counting consent = new Counting(10_000);
    consent.down = true;
    AccessGate gate = gate(consent, Duration.ofSeconds(2));
    assertThatThrownBy(() -> ask(gate, NURSE, "p1")).isInstanceOf(FhirException.class).hasMessageContaining("cannot be reached");
    consent.down = false;
    assertThat(ask(gate, NURSE, "p1").permits(ALLERGIES.get(0))).isTrue();
    assertThat(consent.asked).hasValue(2);
  }

  @Test
  void aConsentServiceSheddingLoadMeansBusyNotDown() {
    ConsentClient shedding = request -> Uni.createFrom().failure(new jakarta.ws.rs.WebApplicationException(
        jakarta.ws.rs.core.Response.status(503).header("Retry-After", "1").build()));
    assertThatThrownBy(() -> ask(gate(shedding, Duration.ofSeconds(2)), NURSE, "p1"))
        .isInstanceOfSatisfying(FhirException.class, e -> {
      assertThat(e.status()).isEqualTo(503);
      assertThat(e.retryAfter()).isEqualTo("1");
      assertThat(e.getMessage()).contains("consent service is answering as many questions");
    });
    ConsentClient unavailable = request -> Uni.createFrom().failure(new jakarta.ws.rs.WebApplicationException(
        jakarta.ws.rs.core.Response.status(503).header("Retry-After", "5").build()));
    assertThatThrownBy(() -> ask(gate(unavailable, Duration.ofSeconds(2)), NURSE, "p1"))
        .isInstanceOfSatisfying(FhirException.class, e -> {
      assertThat(e.retryAfter()).isEqualTo("5");
      assertThat(e.getMessage()).contains("cannot be reached");
    });
  }

  @Test
  void questionsBeyondTheLimitInFlightAreShedAtOnceAndNotCountedAsTheConsentServiceDown() {
    // a decision point that has not answered yet: every question stays in flight until the test answers it
    List<io.smallrye.mutiny.subscription.UniEmitter<? super DecisionResponse>> waiting = new java.util.ArrayList<>();
    AtomicInteger asked = new AtomicInteger();
    ConsentClient slow = request -> {
      asked.incrementAndGet();
      return Uni.createFrom().emitter(waiting::add);
    };
    AccessGate gate = gate(slow, Duration.ofSeconds(2), 2);
    var first = gate.decide(NURSE, "p1", "TREAT", ALLERGIES).subscribe()
        .withSubscriber(io.smallrye.mutiny.helpers.test.UniAssertSubscriber.create());
    gate.decide(NURSE, "p2", "TREAT", ALLERGIES).subscribe()
        .withSubscriber(io.smallrye.mutiny.helpers.test.UniAssertSubscriber.create());

    // (bounded: without admission control the question would wait on the consent service like the others)
    assertThatThrownBy(() -> gate.decide(NURSE, "p3", "TREAT", ALLERGIES).await().atMost(Duration.ofSeconds(5)))
        .isInstanceOfSatisfying(FhirException.class, e -> {
      assertThat(e.status()).isEqualTo(503);
      assertThat(e.retryAfter()).isEqualTo("1");
      assertThat(e.getMessage()).contains("busy").doesNotContain("cannot be reached");
    });
    assertThat(asked).as("the shed question never reached the consent service").hasValue(2);
    assertThat(gate.registry.get("tellonce.consent.shed").functionCounter().count()).isEqualTo(1.0);

    waiting.get(0).complete(new DecisionResponse(1, List.of(new DecisionResponse.ItemDecision(
        ALLERGIES.get(0).key(), DecisionResponse.PERMIT, List.of(), List.of("audit"))), 0));
    assertThat(first.awaitItem().getItem().permits(ALLERGIES.get(0))).isTrue();
    assertThat(gate.registry.get("tellonce.consent.in-flight").gauge().value()).isEqualTo(1.0);
    gate.decide(NURSE, "p3", "TREAT", ALLERGIES).subscribe()
        .withSubscriber(io.smallrye.mutiny.helpers.test.UniAssertSubscriber.create()).assertNotTerminated();
    assertThat(asked).as("an answered question frees its place").hasValue(3);
  }

  @Test
  void theBenchmarkSwitchIsRefusedOutsideTheBenchProfile() {
    AccessGate gate = gate(new Counting(0), Duration.ZERO);
    gate.gate = AccessGate.OFF_FOR_BENCHMARK;
    assertThatThrownBy(() -> gate.checkGate(null)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("benchmarks only");
    gate.gate = AccessGate.PER_REQUEST_FOR_BENCHMARK;
    assertThatThrownBy(() -> gate.checkGate(null)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("benchmarks only");
    gate.gate = "none";
    assertThatThrownBy(() -> gate.checkGate(null)).isInstanceOf(IllegalStateException.class);
  }

  /** Decides on a fresh duplicated context (as a request is served), the request's choice kept there or not. */
  static AccessGate.Visibility askOnARequestContext(Vertx vertx, AccessGate gate, boolean chosenOff) throws Exception {
    CompletableFuture<AccessGate.Visibility> answer = new CompletableFuture<>();
    Context request = VertxContext.getOrCreateDuplicatedContext(vertx.getOrCreateContext());
    request.runOnContext(ignored -> {
      if (chosenOff) {
        ContextLocals.put(AccessGate.GATE_OFF_LOCAL, Boolean.TRUE);
      }
      gate.decide(NURSE, "p1", "TREAT", ALLERGIES).subscribe().with(answer::complete, answer::completeExceptionally);
    });
    return answer.get(5, TimeUnit.SECONDS);
  }

  @Test
  void onlyTheRequestsThatChooseItHaveTheGateOffInThePerRequestBenchmarkSetting() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Counting consent = new Counting(0);
      AccessGate gate = gate(consent, Duration.ZERO);
      gate.gate = AccessGate.PER_REQUEST_FOR_BENCHMARK;
      AccessGate.Visibility off = askOnARequestContext(vertx, gate, true);
      assertThat(off.permits(ALLERGIES.get(0))).isTrue();
      assertThat(off.decision(ALLERGIES.get(0)).reasons()).extracting(DecisionResponse.Reason::source)
          .containsExactly("benchmark");
      assertThat(consent.asked).as("a request that chose the gate off asks nothing").hasValue(0);

      askOnARequestContext(vertx, gate, false);
      ask(gate, NURSE, "p1");
      assertThat(consent.asked).as("a request that did not choose, and a decision outside any request").hasValue(2);

      consent.down = true;
      assertThatThrownBy(() -> askOnARequestContext(vertx, gate, false)).hasCauseInstanceOf(FhirException.class);
      assertThat(askOnARequestContext(vertx, gate, true).permits(ALLERGIES.get(0))).isTrue();

      gate.gate = "consent";
      assertThatThrownBy(() -> askOnARequestContext(vertx, gate, true))
          .as("the choice means nothing in the shipped setting").hasCauseInstanceOf(FhirException.class);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
  }
}
