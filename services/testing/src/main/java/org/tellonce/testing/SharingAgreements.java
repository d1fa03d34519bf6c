package org.tellonce.testing;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The data-sharing agreement the tests work under: every demo organisation, direct-care purposes, all data. Without an
 * active agreement the consent service shares nothing for direct care, so tests that expect sharing make sure of it.
 */
public final class SharingAgreements {

  public static final List<String> PARTIES = List.of("MHT01", "GPP01", "LA001", "VCS01");
  private static final Set<String> ENSURED = ConcurrentHashMap.newKeySet();

  private SharingAgreements() {}

  /** Creates the agreement once per consent service (null: the service under test) and test run. */
  public static void ensure(String consentBaseUri) {
    String key = consentBaseUri == null ? "under-test" : consentBaseUri;
    if (!ENSURED.add(key)) {
      return;
    }
    RequestSpecification request = given().auth().oauth2(Tokens.user("admin")).contentType("application/json");
    if (consentBaseUri != null) {
      request.baseUri(consentBaseUri);
    }
    request.body(Map.of(
            "title", "Riverside ICS direct care (tests)",
            "status", "active",
            "parties", PARTIES,
            "purposes", List.of("TREAT", "ETREAT", "CAREMGT", "COC"),
            "dataClasses", List.of("*"),
            "reference", "tests"))
        .post("/agreements")
        .then().statusCode(201);
  }
}
