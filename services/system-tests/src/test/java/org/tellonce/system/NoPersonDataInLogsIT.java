package org.tellonce.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.Consents;
import org.tellonce.testing.SharingAgreements;
import org.tellonce.testing.Tokens;

/**
 * Privacy is the product: a synthetic person goes through registration, matching, care team, the shared record,
 * denied and refused requests and a consent change on every service — and afterwards no service's log holds their
 * NHS number, names, birth date or postcode.
 */
class NoPersonDataInLogsIT {

  static final String ODS = Consents.ODS;

  @BeforeAll
  static void underTheIcsAgreement() {
    SharingAgreements.ensure(Services.CONSENT);
  }

  static RequestSpecification as(String user, String baseUri) {
    return given().baseUri(baseUri).auth().oauth2(Tokens.user(user)).contentType("application/fhir+json");
  }

  static Path logs() {
    String home = System.getenv("TELLONCE_HOME");
    return home != null && !home.isBlank() ? Path.of(home, "logs")
        : Path.of(System.getProperty("tellonce.logs", "../../.tellonce/logs"));
  }

  @Test
  void noServiceLogsThePersonItServed() throws IOException {
    String nhsNumber = People.nhsNumber();
    String family = "Quillfeather" + UUID.randomUUID().toString().substring(0, 6);
    String given = "Ottoline";
    String birthDate = "1947-09-23";
    String postcode = "LS6 2QX";
    String patient = """
        {"resourceType":"Patient","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"%s"}],
         "name":[{"family":"%s","given":["%s"]}],"birthDate":"%s","gender":"female",
         "address":[{"line":["12 Cardigan Road"],"city":"Leeds","postalCode":"%s"}]}"""
        .formatted(nhsNumber, family, given, birthDate, postcode);
    String personId = as("nurse.mht", Services.IDENTITY).body(patient).post("/fhir/Patient")
        .then().statusCode(201).extract().path("id");

    // the same person again, a match by demographics, and bad input that carries the person's data
    as("nurse.mht", Services.IDENTITY).body(patient).post("/fhir/Patient").then().statusCode(200);
    as("nurse.mht", Services.IDENTITY).urlEncodingEnabled(false).body("""
        {"resourceType":"Parameters","parameter":[{"name":"resource","resource":
          {"resourceType":"Patient","name":[{"family":"%s","given":["%s"]}],"birthDate":"%s"}}]}"""
        .formatted(family, given, birthDate)).post("/fhir/Patient/$match").then().statusCode(200);
    as("nurse.mht", Services.IDENTITY).body(patient.replace(nhsNumber, nhsNumber.substring(0, 9) + "X"))
        .post("/fhir/Patient").then().statusCode(422);
    as("nurse.mht", Services.IDENTITY).body(patient.replace("\"birthDate\"", "\"birthDate\":{},\"x\""))
        .post("/fhir/Patient").then().statusCode(org.hamcrest.Matchers.oneOf(400, 422));
    as("gp.riverside", Services.IDENTITY).get("/fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|"
        + nhsNumber).then().statusCode(200);

    as("nurse.mht", Services.IDENTITY).body("""
        {"resourceType":"CareTeam","status":"active","subject":{"reference":"Patient/%s"},
         "participant":[{"member":{"identifier":{"system":"%s","value":"MHT01"}}},
                        {"member":{"identifier":{"system":"%s","value":"LA001"}}}]}""".formatted(personId, ODS, ODS))
        .post("/fhir/CareTeam").then().statusCode(201);
    String allergy = as("nurse.mht", Services.CARE_RECORD).body("""
        {"resourceType":"AllergyIntolerance",
         "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical","code":"active"}]},
         "code":{"text":"Penicillin"},"patient":{"reference":"Patient/%s"},
         "note":[{"text":"Told by %s %s, %s"}]}""".formatted(personId, given, family, postcode))
        .post("/fhir/AllergyIntolerance").then().statusCode(201).extract().path("id");
    await().atMost(Duration.ofSeconds(60)).until(() -> as("sw.council", Services.CARE_RECORD)
        .get("/fhir/AllergyIntolerance/" + allergy).then().extract().statusCode() == 200);
    as("gp.riverside", Services.CARE_RECORD).get("/fhir/AllergyIntolerance/" + allergy).then().statusCode(404);
    as("gp.riverside", Services.CARE_RECORD).get("/fhir/AllergyIntolerance?patient=" + personId)
        .then().statusCode(200);

    String consentId = as("nurse.mht", Services.CONSENT).body(Consents.objection(personId, "LA001", "active"))
        .post("/fhir/Consent").then().statusCode(201).extract().path("id");
    as("nurse.mht", Services.CONSENT).body(Consents.objection(personId, "LA001", "inactive"))
        .put("/fhir/Consent/" + consentId).then().statusCode(200);
    as("nurse.mht", Services.CONSENT).body(Consents.objection(personId, "XQ" + nhsNumber.substring(0, 6), "active"))
        .post("/fhir/Consent").then().statusCode(422);

    List<String> secrets = List.of(nhsNumber, family, given, birthDate, postcode, "Cardigan Road");
    List<String> leaks = new ArrayList<>();
    int read = 0;
    for (String service : List.of("identity", "consent", "consent-2", "care-record", "referral")) {
      Path log = logs().resolve(service + ".log");
      if (!Files.exists(log)) {
        continue;
      }
      List<String> lines = Files.readAllLines(log);
      read += lines.size();
      for (String line : lines) {
        for (String secret : secrets) {
          if (line.contains(secret)) {
            leaks.add(service + ".log: " + secret);
          }
        }
      }
    }
    assertThat(read).as("lines of the services' logs read at " + logs()).isPositive();
    assertThat(leaks).as("person data in the services' logs").isEmpty();
  }
}
