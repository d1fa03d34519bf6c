package org.tellonce.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** The servers of {@code deploy/stack.sh}, on the ports it uses (overridable with the same TELLONCE_* variables). */
final class LocalServers extends Servers {

  private static LocalServers instance;

  private final int postgresPort = port("TELLONCE_POSTGRES_PORT", 15432);
  private final int kafkaPort = port("TELLONCE_KAFKA_PORT", 19092);
  private final int keycloakPort = port("TELLONCE_KEYCLOAK_PORT", 18080);

  static synchronized LocalServers get() {
    if (instance == null) {
      instance = new LocalServers();
      instance.requireReachable("PostgreSQL", instance.postgresPort);
      instance.requireReachable("Kafka", instance.kafkaPort);
      instance.requireReachable("Keycloak", instance.keycloakPort);
    }
    return instance;
  }

  private static int port(String variable, int fallback) {
    String value = System.getenv(variable);
    return value == null || value.isBlank() ? fallback : Integer.parseInt(value);
  }

  private void requireReachable(String server, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
    } catch (IOException e) {
      throw new IllegalStateException(server + " is not running on 127.0.0.1:" + port
          + ". Start the local stack with `deploy/stack.sh start infra` (make test does it for you),"
          + " or run with -Dtellonce.infra=containers where a Docker engine is available.");
    }
  }

  @Override
  String postgresHost() {
    return "127.0.0.1";
  }

  @Override
  int postgresPort() {
    return postgresPort;
  }

  @Override
  String kafkaBootstrapServers() {
    return "127.0.0.1:" + kafkaPort;
  }

  @Override
  String keycloakUrl() {
    return "http://127.0.0.1:" + keycloakPort;
  }
}
