package org.tellonce.platform.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TransientTest {

  static PgException postgres(String sqlState) {
    return new PgException("refused", "FATAL", sqlState, null);
  }

  @Test
  void theStoreOrAPeerAwayForAMomentMayPass() {
    assertThat(Transient.mayPass(new CompletionException(new ConnectException("Connection refused")))).isTrue();
    assertThat(Transient.mayPass(postgres("57P01"))).as("admin shutdown").isTrue();
    assertThat(Transient.mayPass(postgres("57P03"))).as("the database is starting up").isTrue();
    assertThat(Transient.mayPass(postgres("08006"))).as("connection failure").isTrue();
    assertThat(Transient.mayPass(postgres("53300"))).as("too many connections").isTrue();
    assertThat(Transient.mayPass(postgres("40001"))).as("serialisation failure").isTrue();
    assertThat(Transient.mayPass(new RuntimeException("wrapped", io.vertx.sqlclient.ClosedConnectionException.INSTANCE)))
        .isTrue();
    assertThat(Transient.mayPass(new jakarta.ws.rs.WebApplicationException(503))).isTrue();
    assertThat(Transient.mayPass(new org.tellonce.platform.fhir.FhirException(503,
        org.hl7.fhir.r4.model.OperationOutcome.IssueType.TRANSIENT, "The record cannot validate resources now")))
        .as("the service's own 503: not the event's fault").isTrue();
    assertThat(Transient.mayPass(new org.tellonce.platform.fhir.FhirException(422,
        org.hl7.fhir.r4.model.OperationOutcome.IssueType.PROCESSING, "The Observation is not valid")))
        .as("the event's own fault").isFalse();
    assertThat(Transient.mayPass(new io.vertx.core.impl.NoStackTraceThrowable("Timeout")))
        .as("Vert.x: no pooled connection in time").isTrue();
  }

  @Test
  void aMistakeInTheDataOrTheCodeDoesNot() {
    assertThat(Transient.mayPass(postgres("23505"))).as("unique violation").isFalse();
    assertThat(Transient.mayPass(postgres("22P02"))).as("invalid text representation").isFalse();
    assertThat(Transient.mayPass(new IllegalArgumentException("no such person"))).isFalse();
    assertThat(Transient.mayPass(new jakarta.ws.rs.WebApplicationException(400))).isFalse();
    assertThat(Transient.mayPass(new jakarta.ws.rs.WebApplicationException(500))).isFalse();
    assertThat(Transient.mayPass(null)).isFalse();
    assertThat(Transient.mayPass(new io.vertx.core.impl.NoStackTraceThrowable("Invalid value"))).isFalse();
  }

  @Test
  void pausesDoubleFrom200MillisecondsToTenSeconds() {
    assertThat(Transient.pause(1)).isEqualTo(Duration.ofMillis(200));
    assertThat(Transient.pause(2)).isEqualTo(Duration.ofMillis(400));
    assertThat(Transient.pause(6)).isEqualTo(Duration.ofMillis(6400));
    assertThat(Transient.pause(7)).isEqualTo(Duration.ofSeconds(10));
    assertThat(Transient.pause(1000)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void workIsTriedAfreshUntilItPasses() {
    AtomicInteger tries = new AtomicInteger();
    String result = Transient.untilPasses("test work", () -> tries.incrementAndGet() < 3
            ? Uni.createFrom().failure(postgres("57P01"))
            : Uni.createFrom().item("stored"))
        .await().atMost(Duration.ofSeconds(5));
    assertThat(result).isEqualTo("stored");
    assertThat(tries).hasValue(3);
  }

  @Test
  void aFailureThatWillNotPassIsAnsweredAtOnce() {
    AtomicInteger tries = new AtomicInteger();
    assertThatThrownBy(() -> Transient.untilPasses("test work", () -> {
      tries.incrementAndGet();
      return Uni.createFrom().failure(new IllegalArgumentException("lacks the fields its type needs"));
    }).await().atMost(Duration.ofSeconds(5))).isInstanceOf(IllegalArgumentException.class);
    assertThat(tries).hasValue(1);
  }
}
