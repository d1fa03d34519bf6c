package org.tellonce.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.Consents;
import org.tellonce.testing.EventContracts;
import org.tellonce.testing.EventProbe;
import org.tellonce.testing.SharingAgreements;
import org.tellonce.testing.Tokens;

/**
 * A referral through the four running services: the receiving team sees its clinical content because the active
 * referral is a legitimate relationship the consent service learns of over Kafka; after the person objects to that
 * team, the team sees the minimal referral and the referrer is given a Task to obtain consent; every read audited.
 */
class ReferralConsentIT {

  @BeforeAll
  static void underTheIcsAgreement() {
    SharingAgreements.ensure(Services.CONSENT);
  }

  private static RequestSpecification as(String user) {
    return given().auth().oauth2(Tokens.user(user)).contentType("application/fhir+json");
  }

  private static ExtractableResponse<Response> read(String user, String referral) {
    return as(user).baseUri(Services.REFERRAL).get("/fhir/ServiceRequest/" + referral).then().extract();
  }

  @Test
  void theReceiverSeesWhatConsentAllowsAndTheReferrerIsAskedToObtainIt() throws Exception {
    String personId = People.register("gp.riverside", "Referral", "Sam", "1971-06-30");
    String referral = as("gp.riverside").baseUri(Services.REFERRAL).body("""
            {"resourceType":"ServiceRequest","status":"active","intent":"order","priority":"urgent",
             "category":[{"coding":[{"system":"https://fhir.tellonce.org/CodeSystem/service-category","code":"mental-health"}]}],
             "code":{"text":"Low mood after bereavement"},
             "reasonCode":[{"text":"Bereavement"}],
             "subject":{"reference":"Patient/%s"}}""".formatted(personId))
        .post("/fhir/ServiceRequest").then().statusCode(201)
        .body("performer[0].identifier.value", equalTo("MHT01")).extract().path("id");

    // the consent service learns of the referral over Kafka: from then on the receiving team sees it in full
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
        .until(() -> "Low mood after bereavement".equals(read("nurse.mht", referral).jsonPath().getString("code.text")));
    assertThat(read("nurse.mht", referral).body().asString()).contains("Bereavement").doesNotContain("REDACTED");

    // the person objects to sharing with the mental-health trust
    String objectionId = as("gp.riverside").baseUri(Services.CONSENT)
        .body(Consents.objection(personId, "MHT01", "active"))
        .post("/fhir/Consent").then().statusCode(201).extract().path("id");
    ExtractableResponse<Response> minimal = read("nurse.mht", referral);
    assertThat(minimal.statusCode()).as("the referral still reaches the team").isEqualTo(200);
    assertThat(minimal.jsonPath().getString("code")).isNull();
    assertThat(minimal.jsonPath().getList("reasonCode")).isNull();
    assertThat(minimal.jsonPath().getList("meta.security.code")).contains("REDACTED");
    assertThat(minimal.jsonPath().getString("priority")).isEqualTo("urgent");
    assertThat(minimal.body().asString()).doesNotContain("bereavement").doesNotContain("Bereavement");
    // the referrer still sees everything, and now has a Task to obtain consent
    assertThat(read("gp.riverside", referral).jsonPath().getString("code.text")).isEqualTo("Low mood after bereavement");
    List<String> codes = as("gp.riverside").baseUri(Services.REFERRAL)
        .get("/fhir/Task?focus=ServiceRequest/" + referral).then().statusCode(200)
        .extract().jsonPath().getList("entry.resource.code.coding[0].code");
    assertThat(codes).contains("obtain-consent");
    read("nurse.mht", referral);
    assertThat(as("gp.riverside").baseUri(Services.REFERRAL).get("/fhir/Task?focus=ServiceRequest/" + referral)
        .then().extract().jsonPath().getList("entry")).as("one such Task however often the team reads").hasSize(2);

    // every read by the team was audited (as many as the wait above made); read them all once the last is there
    List<EventProbe.Event> shared = new java.util.ArrayList<>();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      shared.clear();
      shared.addAll(EventProbe.await(Services.TOPIC_PREFIX + "audit.v1", e -> personId.equals(e.key())
          && "org.tellonce.referral.shared.v1".equals(e.header("ce_type")), Integer.MAX_VALUE, Duration.ofSeconds(2)));
      return shared.stream().anyMatch(e -> e.data().contains("\"because\":\"Consent/"));
    });
    assertThat(shared).extracting(EventProbe.Event::data)
        .anyMatch(d -> d.contains("\"view\":\"full\"") && d.contains("\"organization\":\"MHT01\""))
        .anyMatch(d -> d.contains("\"view\":\"minimal\"") && d.contains("\"because\":\"Consent/"))
        .noneMatch(d -> d.contains("bereavement"));
    for (EventProbe.Event event : shared) {
      assertThat(EventContracts.problems(event)).isEmpty();
    }

    // the trust's privacy officer overrides the objection: the team sees the content again, and the privacy officer
    // is told of the disclosure (the decision's notify:privacy-officer obligation, carried out by the referral service)
    given().auth().oauth2(Tokens.user("caldicott.mht")).contentType("application/json").baseUri(Services.CONSENT)
        .body("{\"outcome\":\"overridden\",\"reason\":\"Serious risk to the person: the crisis team must act\"}")
        .post("/objections/" + objectionId + "/reviews").then().statusCode(200);
    assertThat(read("nurse.mht", referral).jsonPath().getString("code.text")).isEqualTo("Low mood after bereavement");
    List<EventProbe.Event> told = EventProbe.await(Services.TOPIC_PREFIX + "referral.notification.v1",
        e -> personId.equals(e.key()) && e.data().contains("\"audience\":\"privacy-officer\""), 1,
        Duration.ofSeconds(30));
    assertThat(told).isNotEmpty();
    assertThat(told.get(0).data()).contains("\"organization\":\"MHT01\"",
        "\"reason\":\"shown: objection-override/" + objectionId + "\"");
    assertThat(EventContracts.problems(told.get(0))).isEmpty();
  }
}
