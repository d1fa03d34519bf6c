package org.tellonce.identity.http;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.TellonceInfra;
import org.tellonce.testing.Tokens;

/**
 * The door in the running service (platform RequestAdmission, installed ahead of authentication): with room for one
 * request, a second is refused at once with 503 throttled before its token is even looked at, probes still answer,
 * and once the first is gone the next is admitted and authenticated as usual.
 */
@QuarkusTest
@TestProfile(LoadSheddingTest.OneAtATime.class)
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "identity_test"))
class LoadSheddingTest {

  public static class OneAtATime implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("tellonce.http.min-in-flight", "1", "tellonce.http.max-in-flight", "1");
    }
  }

  static final String FORGED = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJub2JvZHkifQ.";

  @TestHTTPResource("/")
  URL base;

  @Test
  void pastTheLimitARequestIsShedBeforeItsTokenIsLookedAt() throws Exception {
    try (Socket held = new Socket(base.getHost(), base.getPort())) {
      // an authenticated write whose body never ends: admitted, it holds the only place
      OutputStream out = held.getOutputStream();
      out.write(("POST /fhir/Patient HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + Tokens.user("admin")
          + "\r\nContent-Type: application/fhir+json\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "e\r\n{\"resourceType\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();

      // a forged token (which authentication refuses at once, 401): refused for want of room before it is looked at
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().auth().oauth2(FORGED)
          .get("/fhir/Patient/anyone").then().statusCode(503));
      given().auth().oauth2(FORGED).get("/fhir/Patient/anyone").then().statusCode(503).header("Retry-After", "1")
          .body("resourceType", equalTo("OperationOutcome")).body("issue[0].code", equalTo("throttled"));
      given().get("/q/health/ready").then().statusCode(200);
    }
    // the first request's client has gone: its place is free, and the door lets authentication answer
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().auth().oauth2(FORGED)
        .get("/fhir/Patient/anyone").then().statusCode(401));
    given().auth().oauth2(Tokens.user("nurse.mht")).get("/fhir/Patient/" + java.util.UUID.randomUUID()).then()
        .statusCode(404).body(containsString("OperationOutcome"));
  }
}
