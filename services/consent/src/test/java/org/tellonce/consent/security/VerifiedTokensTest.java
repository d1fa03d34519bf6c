package org.tellonce.consent.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.Metrics;
import org.tellonce.testing.TellonceInfra;
import org.tellonce.testing.Tokens;

/**
 * Verified bearer tokens remembered (platform VerifiedTokens), against the real realm: a token seen before is
 * recognised without being verified again and keeps its roles; an altered one is still refused.
 */
@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "consent_test"))
class VerifiedTokensTest {

  static final String REMEMBERED = "tellonce_security_verified_tokens_total{outcome=\"remembered\"}";

  static int decide(String token) {
    return given().auth().oauth2(token).contentType("application/json")
        .body("""
            {"subject":"%s","purpose":"TREAT","actor":{"organization":"MHT01","user":"someone","roles":["nurse"]},
             "data":[{"id":"AllergyIntolerance/1","resourceType":"AllergyIntolerance","labels":[]}]}
            """.formatted(UUID.randomUUID()))
        .post("/decisions").then().extract().statusCode();
  }

  /** The token with one base64url character changed (inside its part, where every bit counts). */
  static String altered(String token, int at) {
    char was = token.charAt(at);
    return token.substring(0, at) + (was == 'A' ? 'B' : 'A') + token.substring(at + 1);
  }

  @Test
  void aTokenSeenBeforeIsRecognisedWithItsRolesAndAnAlteredOneIsRefused() {
    String service = Tokens.service("care-record");
    assertThat(decide(service)).isEqualTo(200);
    double before = Metrics.value(REMEMBERED).orElse(0);
    assertThat(decide(service)).isEqualTo(200);
    assertThat(Metrics.value(REMEMBERED).orElse(0)).isGreaterThan(before);

    // a user's token does not carry the service role: refused as before, the second time from memory too
    String nurse = Tokens.user("nurse.mht");
    assertThat(decide(nurse)).isEqualTo(403);
    assertThat(decide(nurse)).isEqualTo(403);

    // the remembered token altered in its signature, or in its claims, is a stranger: quarkus-oidc refuses it
    int dot = service.lastIndexOf('.');
    assertThat(decide(altered(service, dot + 20))).isEqualTo(401);
    String forgedClaims = altered(service, dot - 20);
    assertThat(decide(forgedClaims)).isEqualTo(401);
  }
}
