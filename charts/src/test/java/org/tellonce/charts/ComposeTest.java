package org.tellonce.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/compose.yaml (for teams with Docker; no Docker engine runs here) kept in step with what is tested: the same
 * server versions and ports as the local stack, each service's database, Keycloak client secret and settings as the
 * services read them, and every file it mounts present.
 */
class ComposeTest {

  static final Path DEPLOY = Path.of(System.getProperty("tellonce.chart", "tellonce")).resolve("../../deploy");
  static final Map<String, String> PORTS = Map.of("identity", "8081", "consent", "8082", "care-record", "8083",
      "referral", "8084");

  @SuppressWarnings("unchecked")
  static Map<String, Object> compose() throws IOException {
    return new Yaml().load(Files.readString(DEPLOY.resolve("compose.yaml")));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> service(Map<String, Object> compose, String name) {
    return (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get(name);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> environment(Map<String, Object> service) {
    return (Map<String, Object>) service.get("environment");
  }

  static String stackVersion(String name) throws IOException {
    Matcher version = Pattern.compile("(?m)^" + name + "=(\\S+)$").matcher(Files.readString(DEPLOY.resolve("stack.sh")));
    assertThat(version.find()).as(name + " in deploy/stack.sh").isTrue();
    return version.group(1);
  }

  @Test
  void runsTheServersTheLocalStackRunsOnTheSamePorts() throws IOException {
    Map<String, Object> compose = compose();
    assertThat(service(compose, "kafka").get("image")).isEqualTo("apache/kafka:" + stackVersion("KAFKA_VERSION"));
    assertThat(service(compose, "topics").get("image")).isEqualTo(service(compose, "kafka").get("image"));
    assertThat(service(compose, "keycloak").get("image"))
        .isEqualTo("quay.io/keycloak/keycloak:" + stackVersion("KEYCLOAK_VERSION"));
    assertThat(service(compose, "postgres").get("image"))
        .isEqualTo("postgres:" + stackVersion("POSTGRES_VERSION").split("\\.")[0]);
    assertThat(service(compose, "postgres").get("ports")).isEqualTo(List.of("15432:5432"));
    assertThat(service(compose, "kafka").get("ports")).isEqualTo(List.of("19092:19092"));
    assertThat(service(compose, "keycloak").get("ports")).isEqualTo(List.of("18080:8080"));
    // every file a container mounts is in the repository (the conformance folder is beside it, as for the stack)
    for (String name : List.of("postgres", "topics", "keycloak", "referral")) {
      for (Object volume : (List<?>) service(compose, name).get("volumes")) {
        String source = volume.toString().split(":")[0];
        if (source.startsWith("./")) {
          assertThat(DEPLOY.resolve(source)).as(name + " mounts " + source).exists();
        }
      }
    }
  }

  @Test
  void eachServiceGetsItsImagePortDatabaseAndClientSecret() throws IOException {
    Map<String, Object> compose = compose();
    JsonNode realm = JsonMapper.builder().build().readTree(DEPLOY.resolve("keycloak/realm-tellonce.json").toFile());
    String databases = Files.readString(DEPLOY.resolve("compose/postgres-init.sql"));
    for (Map.Entry<String, String> entry : PORTS.entrySet()) {
      String name = entry.getKey();
      Map<String, Object> service = service(compose, name);
      Map<String, Object> environment = environment(service);
      assertThat(service.get("image").toString()).as(name).contains("tellonce-" + name + ":");
      assertThat(service.get("ports")).as(name).isEqualTo(List.of(entry.getValue() + ":" + entry.getValue()));
      assertThat(environment.get("QUARKUS_HTTP_PORT")).as(name).isEqualTo(entry.getValue());
      assertThat(service.get("user")).as(name + " runs as the image's user, never root").isEqualTo("185:185");
      assertThat(service.get("read_only")).isEqualTo(true);

      Properties properties = new Properties();
      properties.load(new StringReader(Files.readString(DEPLOY.resolve("../services/" + name
          + "/src/main/resources/application.properties"))));
      String database = properties.getProperty("tellonce.database");
      assertThat(environment.get("TELLONCE_DATABASE")).as(name).isEqualTo(database);
      assertThat(databases).contains("CREATE DATABASE " + database + ";");

      String secret = null;
      for (JsonNode client : realm.path("clients")) {
        if (("tellonce-" + name).equals(client.path("clientId").asText())) {
          secret = client.path("secret").asText();
        }
      }
      assertThat(environment.get("TELLONCE_CLIENT_SECRET")).as(name).isEqualTo(secret);
      // the services find each other and the servers by their compose names, and expect the issuer users get
      assertThat(environment).containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")
          .containsEntry("TELLONCE_POSTGRES_HOST", "postgres")
          .containsEntry("TELLONCE_CONSENT_URL", "http://consent:" + PORTS.get("consent"))
          .containsEntry("TELLONCE_IDENTITY_URL", "http://identity:" + PORTS.get("identity"))
          .containsEntry("QUARKUS_OIDC_TOKEN_ISSUER", environment(service(compose, "keycloak")).get("KC_HOSTNAME")
              + "/realms/" + realm.path("realm").asText());
      assertThat(((Map<?, ?>) service.get("depends_on")).keySet().stream().map(Object::toString).toList())
          .contains("postgres", "keycloak", "topics");
    }
    assertThat(environment(service(compose, "care-record"))).containsEntry("TELLONCE_FHIR_CONFORMANCE", "/conformance");
    assertThat(environment(service(compose, "referral"))).containsEntry("TELLONCE_ROUTING_DIR", "/config/routing");
  }

  @Test
  void eachServiceRunsWithTheJvmOptionsOfTheChartsDefaults() throws IOException {
    Map<String, Object> compose = compose();
    Map<String, String> chart = ChartTest.jvmOptions(ChartTest.render(t -> t));
    assertThat(chart).containsOnlyKeys(PORTS.keySet());
    chart.forEach((name, options) -> assertThat(environment(service(compose, name)).get("JDK_JAVA_OPTIONS"))
        .as(name).isEqualTo(options));
  }
}
