package org.tellonce.system;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What every running service offers operators and integrators: health, metrics, OpenAPI, CapabilityStatement, 401. */
class ServiceSurfaceIT {

  static final List<String> ALL = List.of(Services.IDENTITY, Services.CONSENT, Services.CARE_RECORD, Services.REFERRAL);

  @Test
  void everyServiceIsLiveReadyMeasuredAndDescribed() {
    for (String service : ALL) {
      given().baseUri(service).get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
      given().baseUri(service).get("/q/health/ready").then().statusCode(200)
          .body(containsString("Database connections health check"))
          .body(containsString("Reactive Messaging"));
      given().baseUri(service).get("/q/metrics").then().statusCode(200).body(containsString("http_server"))
          // the door's limit on requests in flight is installed (platform RequestAdmission)
          .body(containsString("tellonce_http_limit")).body(containsString("tellonce_http_shed_total"));
      given().baseUri(service).get("/q/openapi").then().statusCode(200).body(containsString("openapi"));
      given().baseUri(service).get("/fhir/metadata").then().statusCode(200)
          .body("resourceType", equalTo("CapabilityStatement"));
    }
  }

  static final java.util.Map<String, String> BY_NAME = java.util.Map.of("identity", Services.IDENTITY, "consent",
      Services.CONSENT, "care-record", Services.CARE_RECORD, "referral", Services.REFERRAL);

  /**
   * contracts/fhir holds each service's CapabilityStatement as integrators read it; what a running service serves must
   * be equal to it (but for the date it was generated), so the contract cannot drift from the code.
   */
  @Test
  void everyCapabilityStatementIsTheOneInContracts() throws Exception {
    for (var service : BY_NAME.entrySet()) {
      assertServedIsContract(service.getKey(), service.getValue(), "/fhir/metadata",
          "fhir/" + service.getKey() + ".capabilitystatement.json", "date");
    }
  }

  /** contracts/openapi holds each service's OpenAPI document; what a running service serves must be equal to it. */
  @Test
  void everyOpenApiDocumentIsTheOneInContracts() throws Exception {
    for (var service : BY_NAME.entrySet()) {
      assertServedIsContract(service.getKey(), service.getValue(), "/q/openapi?format=json",
          "openapi/" + service.getKey() + ".openapi.json", null);
    }
  }

  private static void assertServedIsContract(String name, String baseUri, String path, String contractFile,
      String ignoredField) throws Exception {
    java.nio.file.Path contracts = java.nio.file.Path.of(System.getProperty("tellonce.contracts", "../../contracts"));
    java.util.Map<String, Object> served = new java.util.HashMap<>(given().baseUri(baseUri).urlEncodingEnabled(false)
        .get(path).then().statusCode(200).extract().jsonPath().getMap("$"));
    if (ignoredField != null) {
      served.remove(ignoredField);
    }
    java.util.Map<String, Object> contract = new io.restassured.path.json.JsonPath(
        java.nio.file.Files.readString(contracts.resolve(contractFile))).getMap("$");
    org.assertj.core.api.Assertions.assertThat(served)
        .as(name + ": " + path + " differs from contracts/" + contractFile + "; update the contract with the change")
        .isEqualTo(contract);
  }

  @Test
  void everyServiceRefusesACallWithoutATokenWithAnOperationOutcome() {
    given().baseUri(Services.IDENTITY).get("/fhir/Patient/x").then().statusCode(401)
        .body("resourceType", equalTo("OperationOutcome"));
    given().baseUri(Services.CONSENT).contentType("application/json").body("{}").post("/decisions").then()
        .statusCode(401).body("resourceType", equalTo("OperationOutcome"));
    given().baseUri(Services.CARE_RECORD).get("/fhir/Flag?subject=x").then().statusCode(401)
        .body("resourceType", equalTo("OperationOutcome"));
    given().baseUri(Services.REFERRAL).get("/fhir/Task/x").then().statusCode(401)
        .body("resourceType", equalTo("OperationOutcome"));
  }
}
