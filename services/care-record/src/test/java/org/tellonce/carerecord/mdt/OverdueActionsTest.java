package org.tellonce.carerecord.mdt;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.TellonceInfra;
import org.tellonce.testing.Tokens;

/** MDT actions past their due date while still open are counted, by the organisation that recorded them. */
@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "care_record_test"))
public class OverdueActionsTest {

  public static String action(String person, String status, Instant due) {
    return """
        {"resourceType":"Task","status":"%s","intent":"order",
         "description":"Arrange a housing assessment (MDT action)",
         "for":{"reference":"Patient/%s"},
         "owner":{"identifier":{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"LA001"}},
         "restriction":{"period":{"end":"%s"}}}
        """.formatted(status, person, due);
  }

  static double overdue(String organization) {
    return gauge("tellonce_record_tasks_overdue{organization=\"" + organization + "\"}");
  }

  static double actions(String organization, String state) {
    return gauge("tellonce_record_tasks{organization=\"" + organization + "\",state=\"" + state + "\"}");
  }

  static double gauge(String series) {
    return org.tellonce.testing.Metrics.value(series).orElse(0);
  }

  public static String create(String body) {
    return given().auth().oauth2(Tokens.user("worker.vcse")).contentType("application/fhir+json").body(body)
        .post("/fhir/Task").then().statusCode(201).extract().path("id");
  }

  @Test
  void anOpenActionPastItsDueDateIsCountedUntilItIsDone() {
    String person = UUID.randomUUID().toString();
    Instant yesterday = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    Instant tomorrow = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    double before = overdue("VCS01");
    double openBefore = actions("VCS01", "open");
    double completedBefore = actions("VCS01", "completed");
    create(action(person, "requested", yesterday));
    create(action(person, "requested", tomorrow));
    create(action(person, "completed", yesterday));
    Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300))
        .until(() -> overdue("VCS01") == before + 1);
    // all actions for the partnership's completion figure: two still open, one completed
    Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300))
        .until(() -> actions("VCS01", "open") == openBefore + 2 && actions("VCS01", "completed") == completedBefore + 1);
    // nothing else becomes overdue by being counted again
    Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
        .until(() -> overdue("VCS01") == before + 1);
    assertThat(overdue("VCS01")).isEqualTo(before + 1);
  }
}
