package org.tellonce.testing;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.ConfigProvider;

/** Real access tokens from the tellonce realm: demo users (password grant) and service clients (client credentials). */
public final class Tokens {

  public static final String PASSWORD = "demo";

  private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

  private Tokens() {}

  public static String keycloakUrl() {
    return ConfigProvider.getConfig()
        .getOptionalValue("tellonce.keycloak.url", String.class)
        .orElse("http://127.0.0.1:" + (System.getenv("TELLONCE_KEYCLOAK_PORT") == null ? "18080"
            : System.getenv("TELLONCE_KEYCLOAK_PORT")));
  }

  private static String tokenEndpoint() {
    return keycloakUrl() + "/realms/tellonce/protocol/openid-connect/token";
  }

  /** An access token of a demo user (nurse.mht, gp.riverside, sw.council, worker.vcse, caldicott.mht, admin). */
  public static String user(String username) {
    return CACHE.computeIfAbsent("user:" + username, u -> given()
        .formParam("grant_type", "password")
        .formParam("client_id", "tellonce-app")
        .formParam("username", username)
        .formParam("password", PASSWORD)
        .post(tokenEndpoint())
        .then()
        .statusCode(200)
        .extract()
        .path("access_token"));
  }

  /** A client-credentials token of a tellonce service (identity, consent, care-record, referral). */
  public static String service(String service) {
    return CACHE.computeIfAbsent("service:" + service, s -> given()
        .formParam("grant_type", "client_credentials")
        .formParam("client_id", "tellonce-" + service)
        .formParam("client_secret", "local-" + service + "-secret")
        .post(tokenEndpoint())
        .then()
        .statusCode(200)
        .extract()
        .path("access_token"));
  }
}
