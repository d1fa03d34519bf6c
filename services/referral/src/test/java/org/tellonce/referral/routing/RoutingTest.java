package org.tellonce.referral.routing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.EventProbe;
import org.tellonce.testing.TellonceInfra;
import org.tellonce.testing.Tokens;

/**
 * Routing with the directory and the person index as identity publishes them (over Kafka): the team covering the
 * person's locality with room, capacity filling up, the fallback, explain, merged persons and redirects to a team.
 */
@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "referral_test"))
class RoutingTest {

  static void team(String id, String name, String organization, String category, String locality, int capacity) {
    EventProbe.publish("tellonce-test.identity.directory.v1", id, UUID.randomUUID().toString(),
        "org.tellonce.identity.healthcareservice.changed.v1", """
            {"serviceId":"%s","version":1,"active":true,"name":"%s","organization":"%s","categories":["%s"],
             "localities":["%s"],"capacity":%d,"notAvailable":[]}""".formatted(id, name, organization, category,
            locality, capacity));
  }

  static void person(String id, String birthDate, String district) {
    EventProbe.publish("tellonce-test.identity.person.v1", id, UUID.randomUUID().toString(),
        "org.tellonce.identity.person.registered.v1", """
            {"personId":"%s","version":1,"active":true,"identifiers":[],"restricted":false,"birthDate":"%s",
             "postcodeDistrict":"%s","recordedBy":"test"}""".formatted(id, birthDate, district));
  }

  static ExtractableResponse<Response> explain(String body) {
    return given().auth().oauth2(Tokens.user("gp.riverside")).contentType("application/json").body(body)
        .post("/routing/explain").then().extract();
  }

  static ExtractableResponse<Response> refer(String person, String category) {
    return given().auth().oauth2(Tokens.user("gp.riverside")).contentType("application/fhir+json").body("""
            {"resourceType":"ServiceRequest","status":"active","intent":"order","priority":"urgent",
             "category":[{"coding":[{"system":"https://fhir.tellonce.org/CodeSystem/service-category","code":"%s"}]}],
             "code":{"text":"Crisis assessment"},"subject":{"reference":"Patient/%s"}}""".formatted(category, person))
        .post("/fhir/ServiceRequest").then().extract();
  }

  @Test
  void aReferralGoesToTheTeamCoveringThePersonWithRoomUntilEveryTeamIsFull() {
    String smaller = UUID.randomUUID().toString();
    String larger = UUID.randomUUID().toString();
    team(smaller, "Hillside crisis A", "MHT01", "crisis", "hillside", 1);
    team(larger, "Hillside crisis B", "MHT02", "crisis", "hillside", 2);
    String person = UUID.randomUUID().toString();
    person(person, "1980-05-01", "HL1");
    String wouldBe = "{\"personId\":\"" + person + "\",\"categories\":[\"crisis\"],\"priority\":\"urgent\"}";
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
        .until(() -> larger.equals(explain(wouldBe).jsonPath().getString("recipientService")));

    ExtractableResponse<Response> explained = explain(wouldBe);
    assertThat(explained.statusCode()).isEqualTo(200);
    assertThat(explained.jsonPath().getString("rule")).isEqualTo("crisis");
    assertThat(explained.jsonPath().getString("routingRule")).isEqualTo("v1:crisis");
    assertThat(explained.jsonPath().getString("respondWithin")).isEqualTo("PT1H");
    assertThat(explained.jsonPath().getList("rulesTried.matched")).containsExactly(true);
    assertThat(explained.jsonPath().getString("teamsConsidered[0].why")).contains("room for 2");
    // explaining creates nothing
    given().auth().oauth2(Tokens.user("nurse.mht")).get("/referrals?box=inbox&_count=200").then().statusCode(200);

    ExtractableResponse<Response> first = refer(person, "crisis");
    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(first.jsonPath().getString("performer[0].identifier.value")).isEqualTo("MHT02");
    assertThat(first.jsonPath().getString("performer[1].reference")).isEqualTo("HealthcareService/" + larger);
    assertThat(first.jsonPath().getString("performer[1].display")).isEqualTo("Hillside crisis B");
    // both now have room for one: the first by name
    assertThat(refer(person, "crisis").jsonPath().getString("performer[1].reference"))
        .isEqualTo("HealthcareService/" + smaller);
    assertThat(refer(person, "crisis").jsonPath().getString("performer[1].reference"))
        .isEqualTo("HealthcareService/" + larger);
    // every hillside crisis team is full: the rule's fallback
    ExtractableResponse<Response> full = refer(person, "crisis");
    assertThat(full.jsonPath().getString("performer[0].identifier.value")).isEqualTo("MHT01");
    assertThat(full.jsonPath().getList("performer")).hasSize(1);
    assertThat(explain(wouldBe).jsonPath().getList("teamsConsidered.why", String.class))
        .anyMatch(why -> why.equals("full (1 open of 1)")).anyMatch(why -> why.equals("full (2 open of 2)"));
  }

  @Test
  void aChildIsNotRoutedByTheAdultsRuleAndAStatedLocalityWins() {
    String child = UUID.randomUUID().toString();
    person(child, java.time.LocalDate.now().minusYears(12).toString(), "RV1");
    String wouldBe = "{\"personId\":\"" + child + "\",\"categories\":[\"community-mental-health\"]}";
    String adultsRule = "rulesTried.find { it.rule == 'community-mental-health-adults' }.why";
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
        .until(() -> !"the person's age is not known".equals(explain(wouldBe).jsonPath().getString(adultsRule)));
    assertThat(explain(wouldBe).jsonPath().getString(adultsRule)).isEqualTo("the person is under 18");
    assertThat(explain(wouldBe).jsonPath().getString("rule")).isEqualTo("mental-health");
    ExtractableResponse<Response> adult = explain(
        "{\"categories\":[\"community-mental-health\"],\"age\":40,\"locality\":\"riverside-north\"}");
    assertThat(adult.jsonPath().getString("rule")).isEqualTo("community-mental-health-adults");
    assertThat(adult.jsonPath().getString("respondWithin")).isEqualTo("5 working days");
  }

  @Test
  void aReferralForAMergedAwayRecordIsRefusedNamingTheRecordToUse() {
    String source = UUID.randomUUID().toString();
    String target = UUID.randomUUID().toString();
    EventProbe.publish("tellonce-test.identity.person.v1", source, UUID.randomUUID().toString(),
        "org.tellonce.identity.person.merged.v1", """
            {"mergeId":"%s","sourceId":"%s","targetId":"%s","sourceVersion":2,"targetVersion":2,"by":"admin"}"""
            .formatted(UUID.randomUUID(), source, target));
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
        .until(() -> refer(source, "crisis").statusCode() == 422);
    refer(source, "crisis");
    given().auth().oauth2(Tokens.user("gp.riverside")).contentType("application/fhir+json").body("""
            {"resourceType":"ServiceRequest","status":"active","intent":"order",
             "code":{"text":"x"},"subject":{"reference":"Patient/%s"}}""".formatted(source))
        .post("/fhir/ServiceRequest")
        .then().statusCode(422).body("issue[0].diagnostics", containsString("merged into Patient/" + target));
  }

  @Test
  void aTeamRedirectsToAnotherTeamOfTheDirectory() {
    String housing = UUID.randomUUID().toString();
    team(housing, "Hillside housing options", "HSG01", "housing", "hillside", 20);
    String person = UUID.randomUUID().toString();
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
        .until(() -> explain("{\"categories\":[\"housing\"],\"locality\":\"hillside\"}")
            .jsonPath().getString("recipientService") != null);
    ExtractableResponse<Response> created = refer(person, "mental-health");
    String task = created.header("X-Referral-Task");
    given().urlEncodingEnabled(false).auth().oauth2(Tokens.user("nurse.mht")).contentType("application/fhir+json")
        .body("{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"target\",\"valueString\":"
            + "\"HealthcareService/" + housing + "\"},{\"name\":\"note\",\"valueString\":\"Housing need first\"}]}")
        .post("/fhir/" + task + "/$redirect")
        .then().statusCode(200).body("owner.identifier.value", equalTo("HSG01"));
    given().auth().oauth2(Tokens.user("gp.riverside")).get("/fhir/ServiceRequest/" + created.jsonPath().getString("id"))
        .then().statusCode(200)
        .body("performer[1].reference", equalTo("HealthcareService/" + housing))
        .body("performer[1].display", equalTo("Hillside housing options"));
    given().urlEncodingEnabled(false).auth().oauth2(Tokens.user("gp.riverside")).contentType("application/fhir+json")
        .body("{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"target\",\"valueString\":"
            + "\"HealthcareService/nope\"},{\"name\":\"note\",\"valueString\":\"x\"}]}")
        .post("/fhir/" + task + "/$redirect")
        .then().statusCode(403);
  }

  @Test
  void explainRefusesAWouldBeReferralItCannotRead() {
    assertThat(explain("{}").statusCode()).isEqualTo(400);
    assertThat(explain("{\"categories\":[\"crisis\"],\"priority\":\"whenever\"}").statusCode()).isEqualTo(400);
    given().auth().oauth2(Tokens.user("caldicott.mht")).contentType("application/json")
        .body("{\"categories\":[\"crisis\"]}").post("/routing/explain").then().statusCode(403);
    given().auth().oauth2(Tokens.user("admin")).get("/routing/rules").then().statusCode(200)
        .body("version", equalTo(1)).body("rejected.size()", equalTo(0));
  }
}
