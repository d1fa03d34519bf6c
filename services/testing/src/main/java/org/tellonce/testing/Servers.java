package org.tellonce.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/** Where PostgreSQL, Kafka and Keycloak are for a test run. */
abstract class Servers {

  abstract String postgresHost();

  abstract int postgresPort();

  abstract String kafkaBootstrapServers();

  abstract String keycloakUrl();

  String postgresUser() {
    return "postgres";
  }

  String postgresPassword() {
    return "";
  }

  Map<String, String> config(String database) {
    return Map.of(
        "tellonce.postgres.host", postgresHost(),
        "tellonce.postgres.port", String.valueOf(postgresPort()),
        "quarkus.datasource.username", postgresUser(),
        "quarkus.datasource.password", postgresPassword(),
        "tellonce.database", database,
        "kafka.bootstrap.servers", kafkaBootstrapServers(),
        "tellonce.keycloak.url", keycloakUrl());
  }

  /** The stack creates the test databases at initialisation; containers start empty, so create it when missing. */
  void ensureDatabase(String database) {
    if (!database.matches("[a-z_]+")) {
      throw new IllegalArgumentException("Unexpected database name " + database);
    }
    String url = "jdbc:postgresql://" + postgresHost() + ":" + postgresPort() + "/postgres";
    try (Connection connection = DriverManager.getConnection(url, postgresUser(), postgresPassword());
        var exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
      exists.setString(1, database);
      if (!exists.executeQuery().next()) {
        try (var create = connection.createStatement()) {
          create.execute("create database " + database);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot prepare test database " + database + " at " + url, e);
    }
  }
}
