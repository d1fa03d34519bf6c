package org.tellonce.carerecord.report;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tellonce.carerecord.mdt.OverdueActionsTest;
import org.tellonce.platform.report.ReportPeriod;
import org.tellonce.testing.TellonceInfra;
import org.tellonce.testing.Tokens;

/** The shared record's part of the partnership report: MDT actions set and completed in a period, by organisation. */
@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "care_record_test"))
class PartnershipReportTest {

  static final String TODAY = LocalDate.now(ReportPeriod.LONDON).toString();

  static long count(String what) {
    JsonPath report = given().auth().oauth2(Tokens.user("caldicott.mht"))
        .get("/reports/partnership?from=" + TODAY + "&to=" + TODAY).then().statusCode(200).extract().jsonPath();
    Number value = report.get("mdtActionsByOrganization.VCS01." + what);
    return value == null ? 0 : value.longValue();
  }

  @Test
  void countsTodaysActionsSetCompletedAndStillOpen() {
    long set = count("set");
    long completed = count("completed");
    long onTime = count("completedByDueDate");
    long open = count("openAtEnd");
    String person = UUID.randomUUID().toString();
    Instant yesterday = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    Instant tomorrow = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    OverdueActionsTest.create(OverdueActionsTest.action(person, "requested", tomorrow));
    // recorded as done: one by its due date, one after it
    OverdueActionsTest.create(OverdueActionsTest.action(person, "completed", tomorrow));
    OverdueActionsTest.create(OverdueActionsTest.action(person, "completed", yesterday));

    assertThat(count("set")).isEqualTo(set + 3);
    assertThat(count("completed")).isEqualTo(completed + 2);
    assertThat(count("completedByDueDate")).isEqualTo(onTime + 1);
    assertThat(count("openAtEnd")).isEqualTo(open + 1);
    given().auth().oauth2(Tokens.user("nurse.mht")).get("/reports/partnership").then().statusCode(403);
    given().auth().oauth2(Tokens.user("admin")).get("/reports/partnership?from=2026-13-01").then().statusCode(400);
  }
}
