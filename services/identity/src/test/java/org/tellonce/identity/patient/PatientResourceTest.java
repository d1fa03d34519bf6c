package org.tellonce.identity.patient;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.NhsNumbers;
import org.tellonce.testing.TellonceInfra;
import org.tellonce.testing.Tokens;

@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "identity_test"))
public class PatientResourceTest {

  static String patient(String nhsNumber) {
    return """
        {"resourceType":"Patient",
         "identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"%s"}],
         "name":[{"family":"Example","given":["Alex"]}],
         "gender":"unknown","birthDate":"1961-04-12"}
        """.formatted(nhsNumber);
  }

  public static String register(String nhsNumber) {
    return given().auth().oauth2(Tokens.user("nurse.mht"))
        .contentType("application/fhir+json")
        .body(patient(nhsNumber))
        .post("/fhir/Patient")
        .then().statusCode(201)
        .extract().path("id");
  }

  @Test
  void registersAPersonAndReadsThemBack() {
    String nhs = NhsNumbers.random();
    String id = given().auth().oauth2(Tokens.user("nurse.mht"))
        .contentType("application/fhir+json")
        .body(patient(nhs))
        .post("/fhir/Patient")
        .then().statusCode(201)
        .header("Location", containsString("Patient/"))
        .contentType(containsString("application/fhir+json"))
        .body("id", notNullValue())
        .body("meta.versionId", equalTo("1"))
        .extract().path("id");

    given().auth().oauth2(Tokens.user("sw.council"))
        .get("/fhir/Patient/" + id)
        .then().statusCode(200)
        .body("identifier[0].value", equalTo(nhs))
        .body("name[0].family", equalTo("Example"));
  }

  @Test
  void refusesAnInvalidNhsNumberWith422AndSaysWhy() {
    given().auth().oauth2(Tokens.user("nurse.mht"))
        .contentType("application/fhir+json")
        .body(patient("9434765918"))
        .post("/fhir/Patient")
        .then().statusCode(422)
        .body("resourceType", equalTo("OperationOutcome"))
        .body("issue[0].severity", equalTo("error"))
        .body("issue[0].diagnostics", containsString("modulus-11"));
  }

  @Test
  void refusesADuplicateNhsNumberWith409() {
    String nhs = NhsNumbers.random();
    register(nhs);
    given().auth().oauth2(Tokens.user("gp.riverside"))
        .contentType("application/fhir+json")
        .body(patient(nhs))
        .post("/fhir/Patient")
        .then().statusCode(409)
        .body("resourceType", equalTo("OperationOutcome"))
        .body("issue[0].code", equalTo("duplicate"));
  }

  @Test
  void refusesMalformedJsonWith400() {
    given().auth().oauth2(Tokens.user("nurse.mht"))
        .contentType("application/fhir+json")
        .body("{\"resourceType\":\"Patient\",\"birthDate\":")
        .post("/fhir/Patient")
        .then().statusCode(400)
        .body("resourceType", equalTo("OperationOutcome"));
  }

  @Test
  void refusesAnotherResourceTypeWith400() {
    given().auth().oauth2(Tokens.user("nurse.mht"))
        .contentType("application/fhir+json")
        .body("{\"resourceType\":\"Condition\"}")
        .post("/fhir/Patient")
        .then().statusCode(400)
        .body("issue[0].diagnostics", containsString("Patient"));
  }

  @Test
  void answers401WithoutAToken() {
    given().contentType("application/fhir+json")
        .body(patient(NhsNumbers.random()))
        .post("/fhir/Patient")
        .then().statusCode(401)
        .body("resourceType", equalTo("OperationOutcome"))
        .body("issue[0].code", equalTo("login"));
  }

  @Test
  void answers401ForAForgedToken() {
    given().auth().oauth2("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")
        .get("/fhir/Patient/anything")
        .then().statusCode(401)
        .body("resourceType", equalTo("OperationOutcome"));
  }

  @Test
  void answers403ForARoleThatMayNotRegister() {
    given().auth().oauth2(Tokens.user("worker.vcse"))
        .contentType("application/fhir+json")
        .body(patient(NhsNumbers.random()))
        .post("/fhir/Patient")
        .then().statusCode(403)
        .body("resourceType", equalTo("OperationOutcome"))
        .body("issue[0].code", equalTo("forbidden"));
  }

  @Test
  void answers404AsAnOperationOutcomeForAnUnknownPerson() {
    given().auth().oauth2(Tokens.user("nurse.mht"))
        .get("/fhir/Patient/does-not-exist")
        .then().statusCode(404)
        .body("resourceType", equalTo("OperationOutcome"))
        .body("issue[0].code", equalTo("not-found"));
  }

  @Test
  void servesACapabilityStatement() {
    given().get("/fhir/metadata")
        .then().statusCode(200)
        .body("resourceType", equalTo("CapabilityStatement"))
        .body("fhirVersion", equalTo("4.0.1"))
        .body("rest[0].resource.type", org.hamcrest.Matchers.hasItems("Patient", "CareTeam"));
  }

  @Test
  void isReadyWhenDatabaseAndKafkaAreReachable() {
    given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
  }
}
