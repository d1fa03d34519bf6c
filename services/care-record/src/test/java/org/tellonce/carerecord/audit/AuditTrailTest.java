package org.tellonce.carerecord.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.DriverManager;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;
import org.tellonce.carerecord.record.RecordResourceTestAccess;
import org.tellonce.testing.TellonceInfra;
import org.tellonce.testing.Tokens;

/** The audit trail: who looked at a person's record, for privacy officers; and a verifier that finds tampering. */
@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "care_record_test"))
class AuditTrailTest {

  static int update(String sql) throws Exception {
    var config = ConfigProvider.getConfig();
    String url = "jdbc:postgresql://" + config.getValue("tellonce.postgres.host", String.class) + ":"
        + config.getValue("tellonce.postgres.port", String.class) + "/care_record_test";
    try (var connection = DriverManager.getConnection(url, "postgres", "")) {
      return connection.createStatement().executeUpdate(sql);
    }
  }

  @Test
  void aPrivacyOfficerSeesWhoAccessedThePersonsRecordNewestFirstInPages() {
    String person = UUID.randomUUID().toString();
    String id = RecordResourceTestAccess.create(person);
    for (String user : List.of("sw.council", "gp.riverside", "worker.vcse")) {
      given().auth().oauth2(Tokens.user(user)).get("/fhir/AllergyIntolerance/" + id);
    }
    JsonPath first = given().auth().oauth2(Tokens.user("caldicott.mht"))
        .get("/fhir/AuditEvent?patient=" + person + "&_count=2")
        .then().statusCode(200).extract().jsonPath();
    assertThat(first.getList("entry.collect { it.resource.agent[0].who.identifier.value }"))
        .containsExactly("worker.vcse", "gp.riverside");
    String next = first.getString("link.find { it.relation == 'next' }.url");
    JsonPath second = given().auth().oauth2(Tokens.user("caldicott.mht")).urlEncodingEnabled(false)
        .get("/" + next).then().statusCode(200).extract().jsonPath();
    assertThat(second.getList("entry.collect { it.resource.agent[0].who.identifier.value }"))
        .containsExactly("sw.council", "nurse.mht");
    given().auth().oauth2(Tokens.user("nurse.mht")).get("/fhir/AuditEvent?patient=" + person)
        .then().statusCode(403);
    given().auth().oauth2(Tokens.user("caldicott.mht")).get("/fhir/AuditEvent")
        .then().statusCode(400);
  }

  @Inject Mutiny.SessionFactory sessions;

  /**
   * Every read appends to the audit chain with native SQL (chain lock, last hash) and looks up the person's merged
   * records. Hibernate Reactive never finds a native select's plan in its cache (its result mapping lacks equals), so
   * each one stored another entry under the same hash and lookups slowed as the cache filled: 40% of a busy service's
   * CPU. Those selects now run on the session's connection (SessionSql); repeated reads must not add plans. (The
   * consent service is unreachable in these tests, so each read fails closed: audited all the same.)
   */
  @Test
  void repeatedReadsReuseTheirQueryPlans() throws Exception {
    String person = UUID.randomUUID().toString();
    String id = RecordResourceTestAccess.create(person);
    for (int i = 0; i < 3; i++) {
      given().auth().oauth2(Tokens.user("nurse.mht")).get("/fhir/AllergyIntolerance/" + id).then().statusCode(503);
    }
    var statistics = sessions.getStatistics();
    assertThat(statistics.isStatisticsEnabled()).isTrue();
    long misses = statistics.getQueryPlanCacheMissCount();
    int reads = 20;
    for (int i = 0; i < reads; i++) {
      given().auth().oauth2(Tokens.user("nurse.mht")).get("/fhir/AllergyIntolerance/" + id).then().statusCode(503);
    }
    assertThat(RecordResourceTestAccess.query("select count(*) from audit_event where person_id = '" + person
        + "' and action = 'read'")).containsExactly(String.valueOf(3 + reads));
    // each read runs four native selects (person records up and down, chain lock, last hash): a plan made per read
    // would miss 80 times; a background job's first query may still miss once or twice
    assertThat(statistics.getQueryPlanCacheMissCount() - misses).isLessThanOrEqualTo(2);
  }

  /**
   * Reads of one person at once share a chain, and their entries are appended together while one is being written:
   * every read is audited once, each entry chains to the one before it, and each audit.v1 event carries its own
   * entry's hashes. (The consent service is unreachable here: every read fails closed, audited all the same.)
   */
  @Test
  void concurrentReadsOfOnePersonAreEachAuditedOnceInAnUnbrokenChain() throws Exception {
    String person = UUID.randomUUID().toString();
    String id = RecordResourceTestAccess.create(person);
    String token = Tokens.user("nurse.mht");
    int reads = 48;
    var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
      for (int i = 0; i < reads; i++) {
        answers.add(pool.submit(() -> given().auth().oauth2(token).get("/fhir/AllergyIntolerance/" + id)
            .statusCode()));
      }
      for (var answer : answers) {
        assertThat(answer.get()).isEqualTo(503);
      }
    } finally {
      pool.shutdown();
    }
    assertThat(RecordResourceTestAccess.query("select count(*) from audit_event where person_id = '" + person
        + "' and action = 'read'")).containsExactly(String.valueOf(reads));
    // in the chain's order, each entry's previous hash is the hash of the entry before it
    assertThat(RecordResourceTestAccess.query("select count(*) from (select previous_hash, lag(hash) over (order by"
        + " position) as before from audit_event where chain = (select chain from audit_event where person_id = '"
        + person + "' limit 1)) c where before is not null and previous_hash <> before")).containsExactly("0");
    // each entry's audit.v1 event carries that entry's hashes
    assertThat(RecordResourceTestAccess.query("select count(*) from audit_event a join outbox o on o.topic like"
        + " '%audit.v1' and o.payload like '%\"auditEventId\":\"' || a.id || '\"%' and o.payload like"
        + " '%\"previousHash\":\"' || a.previous_hash || '\",\"hash\":\"' || a.hash || '\"}'"
        + " where a.person_id = '" + person + "' and a.action = 'read'")).containsExactly(String.valueOf(reads));
    given().auth().oauth2(Tokens.user("caldicott.mht")).get("/audit/verification")
        .then().statusCode(200).body("intact", equalTo(true));
  }

  @Test
  void theVerifierProvesAnUntouchedTrailAndFindsAnAlteredEntry() throws Exception {
    String person = UUID.randomUUID().toString();
    RecordResourceTestAccess.create(person);
    given().auth().oauth2(Tokens.user("caldicott.mht")).get("/audit/verification")
        .then().statusCode(200).body("intact", equalTo(true));
    // Someone with database access rewrites who made an access: the chain no longer holds from that entry.
    String original = "'\"nurse.mht\"'";
    try {
      assertThat(update("update audit_event set resource = replace(resource, " + original + ", '\"someone.else\"')"
          + " where person_id = '" + person + "'")).isEqualTo(1);
      JsonPath report = given().auth().oauth2(Tokens.user("caldicott.mht")).get("/audit/verification")
          .then().statusCode(200).body("intact", equalTo(false)).extract().jsonPath();
      assertThat(report.getList("chains.findAll { !it.intact }")).hasSize(1);
    } finally {
      update("update audit_event set resource = replace(resource, '\"someone.else\"', " + original + ")"
          + " where person_id = '" + person + "'");
    }
    given().auth().oauth2(Tokens.user("caldicott.mht")).get("/audit/verification")
        .then().statusCode(200).body("intact", equalTo(true));
    given().auth().oauth2(Tokens.user("nurse.mht")).get("/audit/verification").then().statusCode(403);
  }
}
