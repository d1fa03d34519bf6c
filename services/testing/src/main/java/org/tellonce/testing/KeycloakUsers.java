package org.tellonce.testing;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;

/**
 * Staff accounts made for one test in the real tellonce realm, through Keycloak's admin API (the local stack's
 * bootstrap administrator), so tests that change accounts never touch the shared demo users.
 */
public final class KeycloakUsers {

  private KeycloakUsers() {}

  private static String adminToken() {
    return given()
        .formParam("grant_type", "password")
        .formParam("client_id", "admin-cli")
        .formParam("username", System.getenv().getOrDefault("TELLONCE_KEYCLOAK_ADMIN", "admin"))
        .formParam("password", System.getenv().getOrDefault("TELLONCE_KEYCLOAK_ADMIN_PASSWORD", "admin"))
        .post(Tokens.keycloakUrl() + "/realms/master/protocol/openid-connect/token")
        .then().statusCode(200)
        .extract().path("access_token");
  }

  /** Creates an enabled user with password {@value Tokens#PASSWORD} and this realm role; answers the username. */
  public static String create(String username, String realmRole) {
    String admin = adminToken();
    String base = Tokens.keycloakUrl() + "/admin/realms/tellonce";
    given().auth().oauth2(admin).contentType("application/json")
        .body(Map.of(
            "username", username,
            "enabled", true,
            "firstName", "Test",
            "lastName", "Staff",
            "email", username + "@staff.tellonce.test",
            "emailVerified", true,
            "credentials", List.of(Map.of("type", "password", "value", Tokens.PASSWORD, "temporary", false))))
        .post(base + "/users")
        .then().statusCode(201);
    String id = given().auth().oauth2(admin).queryParam("username", username).queryParam("exact", true)
        .get(base + "/users").then().statusCode(200).extract().path("[0].id");
    Map<String, Object> role = given().auth().oauth2(admin).get(base + "/roles/" + realmRole)
        .then().statusCode(200).extract().as(Map.class);
    given().auth().oauth2(admin).contentType("application/json").body(List.of(role))
        .post(base + "/users/" + id + "/role-mappings/realm")
        .then().statusCode(204);
    return username;
  }

  /** The user's attributes as Keycloak holds them now. */
  @SuppressWarnings("unchecked")
  public static Map<String, List<String>> attributes(String username) {
    String admin = adminToken();
    Map<String, List<String>> attributes = given().auth().oauth2(admin).queryParam("username", username)
        .queryParam("exact", true).get(Tokens.keycloakUrl() + "/admin/realms/tellonce/users")
        .then().statusCode(200).extract().path("[0].attributes");
    return attributes == null ? Map.of() : attributes;
  }

  /** Sets one attribute of the user, as an administrator editing the account by hand would. */
  @SuppressWarnings("unchecked")
  public static void setAttribute(String username, String name, String value) {
    String admin = adminToken();
    String base = Tokens.keycloakUrl() + "/admin/realms/tellonce/users";
    Map<String, Object> user = given().auth().oauth2(admin).queryParam("username", username).queryParam("exact", true)
        .get(base).then().statusCode(200).extract().path("[0]");
    Map<String, Object> attributes = new java.util.HashMap<>(
        (Map<String, Object>) user.getOrDefault("attributes", Map.of()));
    attributes.put(name, List.of(value));
    Map<String, Object> updated = new java.util.HashMap<>(user);
    updated.put("attributes", attributes);
    given().auth().oauth2(admin).contentType("application/json").body(updated)
        .put(base + "/" + user.get("id")).then().statusCode(204);
  }

  /** A fresh access token of a user (not cached: claims change when the account does). */
  public static String token(String username) {
    return given()
        .formParam("grant_type", "password")
        .formParam("client_id", "tellonce-app")
        .formParam("username", username)
        .formParam("password", Tokens.PASSWORD)
        .post(Tokens.keycloakUrl() + "/realms/tellonce/protocol/openid-connect/token")
        .then().statusCode(200)
        .extract().path("access_token");
  }
}
