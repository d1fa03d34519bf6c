package org.tellonce.system;

/** Where the four running services are (deploy/stack.sh ports, overridable with the same variables). */
final class Services {

  static final String IDENTITY = url("TELLONCE_IDENTITY_PORT", 8081);
  static final String CONSENT = url("TELLONCE_CONSENT_PORT", 8082);
  static final String CARE_RECORD = url("TELLONCE_CARE_RECORD_PORT", 8083);
  static final String REFERRAL = url("TELLONCE_REFERRAL_PORT", 8084);
  /** A second identity replica (deploy/stack.sh start replicas). */
  static final String IDENTITY_REPLICA = url("TELLONCE_IDENTITY_REPLICA_PORT", 8091);
  /** A second consent replica (deploy/stack.sh start replicas): same database, same consumer groups. */
  static final String CONSENT_REPLICA = url("TELLONCE_CONSENT_REPLICA_PORT", 8092);
  /** Second replicas of the enforcement points; they ask the second consent replica. */
  static final String CARE_RECORD_REPLICA = url("TELLONCE_CARE_RECORD_REPLICA_PORT", 8093);
  static final String REFERRAL_REPLICA = url("TELLONCE_REFERRAL_REPLICA_PORT", 8094);

  static final String TOPIC_PREFIX = System.getenv().getOrDefault("TELLONCE_KAFKA_TOPIC_PREFIX", "tellonce.");

  private Services() {}

  private static String url(String variable, int port) {
    String value = System.getenv(variable);
    return "http://127.0.0.1:" + (value == null || value.isBlank() ? port : value);
  }
}
