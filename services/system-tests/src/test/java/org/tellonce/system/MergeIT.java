package org.tellonce.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.Tokens;

/**
 * Tell once, across services: when identity merges two records of one person, what the care record holds against the
 * merged-away record is shown under the current one, gated by the current record's care team — and unmerging undoes it.
 */
class MergeIT {

  @org.junit.jupiter.api.BeforeAll
  static void underTheIcsAgreement() {
    org.tellonce.testing.SharingAgreements.ensure(Services.CONSENT);
  }

  private static final String ODS = "https://fhir.nhs.uk/Id/ods-organization-code";

  private static RequestSpecification as(String user) {
    return given().auth().oauth2(Tokens.user(user)).contentType("application/fhir+json");
  }

  private static String name() {
    StringBuilder name = new StringBuilder("M");
    for (int i = 0; i < 9; i++) {
      name.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
    }
    return name.toString();
  }

  private static String register() {
    return as("nurse.mht").baseUri(Services.IDENTITY)
        .body("""
            {"resourceType":"Patient","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"%s"}],
             "name":[{"family":"%s","given":["%s"]}],"birthDate":"19%02d-0%d-1%d"}
            """.formatted(People.nhsNumber(), name(), name(), ThreadLocalRandom.current().nextInt(30, 99),
            ThreadLocalRandom.current().nextInt(1, 9), ThreadLocalRandom.current().nextInt(0, 9)))
        .post("/fhir/Patient").then().statusCode(201).extract().path("id");
  }

  private static List<String> allergies(String personId) {
    return as("sw.council").baseUri(Services.CARE_RECORD)
        .get("/fhir/AllergyIntolerance?patient=" + personId).then().statusCode(200)
        .extract().jsonPath().getList("entry.findAll { it.resource.resourceType == 'AllergyIntolerance' }.resource.id");
  }

  private static void mergeOperation(String operation, String body) {
    as("admin").baseUri(Services.IDENTITY).urlEncodingEnabled(false).body(body)
        .post("/fhir/Patient/$" + operation).then().statusCode(200);
  }

  @Test
  void whatWasRecordedAgainstADuplicateIsSeenUnderTheMergedRecord() {
    String duplicate = register();
    String current = register();
    // the council is in the care team of the current record only
    as("nurse.mht").baseUri(Services.IDENTITY)
        .body("""
            {"resourceType":"CareTeam","status":"active","subject":{"reference":"Patient/%s"},
             "participant":[{"member":{"identifier":{"system":"%s","value":"LA001"}}}]}
            """.formatted(current, ODS))
        .post("/fhir/CareTeam").then().statusCode(201);
    String allergy = as("nurse.mht").baseUri(Services.CARE_RECORD)
        .body("""
            {"resourceType":"AllergyIntolerance",
         "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical","code":"active"}]},
         "code":{"text":"Latex"},"patient":{"reference":"Patient/%s"}}
            """.formatted(duplicate))
        .post("/fhir/AllergyIntolerance").then().statusCode(201).extract().path("id");
    assertThat(allergies(current)).isEmpty();
    // read by id, the council is gated by the record the allergy was written against: not in its care team
    assertThat(readBy("sw.council", allergy)).isEqualTo(404);

    mergeOperation("merge", """
        {"resourceType":"Parameters","parameter":[
          {"name":"source-patient","valueReference":{"reference":"Patient/%s"}},
          {"name":"target-patient","valueReference":{"reference":"Patient/%s"}},
          {"name":"reason","valueString":"Registered twice"}]}
        """.formatted(duplicate, current));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(allergies(current)).containsExactly(allergy));
    // and now by the record it stands for: the current one, where the council is in the care team
    assertThat(readBy("sw.council", allergy)).isEqualTo(200);

    mergeOperation("unmerge", """
        {"resourceType":"Parameters","parameter":[
          {"name":"source-patient","valueReference":{"reference":"Patient/%s"}},
          {"name":"reason","valueString":"Not the same person"}]}
        """.formatted(duplicate));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(allergies(current)).isEmpty());
    assertThat(readBy("sw.council", allergy)).isEqualTo(404);
  }

  private static int readBy(String user, String allergy) {
    return as(user).baseUri(Services.CARE_RECORD).get("/fhir/AllergyIntolerance/" + allergy).then().extract()
        .statusCode();
  }
}
