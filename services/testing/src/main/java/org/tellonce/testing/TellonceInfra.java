package org.tellonce.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The real servers a {@code @QuarkusTest} runs against. By default they are the local processes of
 * {@code deploy/stack.sh} (PostgreSQL, Kafka, Keycloak on 127.0.0.1); with {@code -Dtellonce.infra=containers} and a
 * reachable Docker engine, the same servers start as Testcontainers instead.
 */
public class TellonceInfra implements QuarkusTestResourceLifecycleManager {

  public static final String MODE_PROPERTY = "tellonce.infra";

  private String database;

  @Override
  public void init(Map<String, String> initArgs) {
    database = initArgs.get("database");
    if (database == null) {
      throw new IllegalArgumentException("TellonceInfra needs the test database name: initArgs = @ResourceArg(name = \"database\")");
    }
  }

  @Override
  public Map<String, String> start() {
    Servers servers = "containers".equals(System.getProperty(MODE_PROPERTY)) ? ContainerServers.get() : LocalServers.get();
    servers.ensureDatabase(database);
    return servers.config(database);
  }

  @Override
  public void stop() {
    // Servers are shared by every test class of the JVM; local processes belong to the stack, containers to Ryuk.
  }
}
