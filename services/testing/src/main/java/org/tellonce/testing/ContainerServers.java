package org.tellonce.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.MountableFile;

/** The same servers as Testcontainers, for machines with a Docker engine ({@code -Dtellonce.infra=containers}). */
final class ContainerServers extends Servers {

  static final String POSTGRES_IMAGE = "postgres:17.5";
  static final String KAFKA_IMAGE = "apache/kafka:4.1.1";
  static final String KEYCLOAK_IMAGE = "quay.io/keycloak/keycloak:26.5.6";

  private static ContainerServers instance;

  private final PostgreSQLContainer postgres;
  private final KafkaContainer kafka;
  private final GenericContainer<?> keycloak;

  static synchronized ContainerServers get() {
    if (instance == null) {
      if (!DockerClientFactory.instance().isDockerAvailable()) {
        throw new IllegalStateException("-Dtellonce.infra=containers needs a reachable Docker engine; none was found."
            + " Without Docker, run the local stack instead (make test).");
      }
      instance = new ContainerServers();
    }
    return instance;
  }

  @SuppressWarnings("resource")
  private ContainerServers() {
    postgres = new PostgreSQLContainer(POSTGRES_IMAGE).withDatabaseName("postgres").withUsername("postgres");
    kafka = new KafkaContainer(KAFKA_IMAGE);
    keycloak = new GenericContainer<>(KEYCLOAK_IMAGE)
        .withEnv("KC_BOOTSTRAP_ADMIN_USERNAME", "admin")
        .withEnv("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin")
        .withEnv("KC_HEALTH_ENABLED", "true")
        .withCopyFileToContainer(MountableFile.forHostPath(realmFile()), "/opt/keycloak/data/import/realm-tellonce.json")
        .withCommand("start-dev", "--import-realm")
        .withExposedPorts(8080, 9000)
        .waitingFor(Wait.forHttp("/health/ready").forPort(9000).withStartupTimeout(Duration.ofMinutes(3)));
    postgres.start();
    kafka.start();
    keycloak.start();
  }

  /** deploy/keycloak/realm-tellonce.json, found from the module being tested up to the project root. */
  private static Path realmFile() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path realm = dir.resolve("deploy/keycloak/realm-tellonce.json");
      if (Files.exists(realm)) {
        return realm;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("deploy/keycloak/realm-tellonce.json not found above " + Path.of("").toAbsolutePath());
  }

  @Override
  String postgresHost() {
    return postgres.getHost();
  }

  @Override
  int postgresPort() {
    return postgres.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT);
  }

  @Override
  String postgresPassword() {
    return postgres.getPassword();
  }

  @Override
  String kafkaBootstrapServers() {
    return kafka.getBootstrapServers();
  }

  @Override
  String keycloakUrl() {
    return "http://" + keycloak.getHost() + ":" + keycloak.getMappedPort(8080);
  }
}
