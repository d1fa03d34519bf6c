package org.tellonce.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.Consents;
import org.tellonce.testing.KeycloakUsers;
import org.tellonce.testing.SharingAgreements;
import org.tellonce.testing.Tokens;

/**
 * Objecting while reading, across two replicas of every service (make verify-access runs 1,000 rounds; make test
 * {@code TELLONCE_RACE_ROUNDS}, 100 by default). For each of four people, readers of the trust read the person's allergies
 * and their referral without pause through both replicas of care-record and of referral (the second replicas ask the
 * second consent replica), while a writer records the person's objection to the trust on one consent replica and
 * withdraws it on the other, at random intervals. Every read that began after an objection was acknowledged and ended
 * before its withdrawal was sent must disclose nothing; every read that began after the withdrawal was acknowledged
 * and ended before the next objection was sent must disclose. The last line reads "R rounds, N reads, C reads decided
 * by an acknowledged change, P permits after an acknowledged objection, D denials after an acknowledged withdrawal".
 */
class RevocationRaceIT {

  static final JsonMapper JSON = JsonMapper.builder().build();
  static final int ROUNDS = Integer.parseInt(System.getenv().getOrDefault("TELLONCE_RACE_ROUNDS", "100"));
  static final int PEOPLE = 4;

  /** One read: when it was sent and answered (nanoTime), and whether it disclosed the content. */
  record Read(String where, long start, long end, boolean disclosed) {}

  /** One round: an objection sent and acknowledged, then its withdrawal sent and acknowledged. */
  record Round(long objectionSent, long objectionAcknowledged, long withdrawalSent, long withdrawalAcknowledged) {}

  /** Where a reader reads and how it tells a disclosure. */
  record Reader(String name, String url, Predicate<JsonNode> discloses) {}

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  final List<String> errors = Collections.synchronizedList(new ArrayList<>());
  final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  /** Per replica read, how many of its reads fell inside an acknowledged objection's window. */
  final Map<String, Integer> insideObjection = new TreeMap<>();

  @Test
  void noReadAfterAnAcknowledgedObjectionDisclosesOnAnyReplica() throws Exception {
    SharingAgreements.ensure(Services.CONSENT);
    String nurse = KeycloakUsers.token("nurse.mht");
    ExecutorService pool = Executors.newFixedThreadPool(PEOPLE * 5);
    try {
      List<Future<int[]>> people = new ArrayList<>();
      for (int p = 0; p < PEOPLE; p++) {
        int rounds = ROUNDS / PEOPLE + (p < ROUNDS % PEOPLE ? 1 : 0);
        long seed = 20261203L + p;
        people.add(pool.submit(() -> race(pool, nurse, rounds, new Random(seed))));
      }
      int[] totals = new int[4];
      for (Future<int[]> person : people) {
        int[] counts = person.get();
        for (int i = 0; i < totals.length; i++) {
          totals[i] += counts[i];
        }
      }
      errors.stream().limit(20).forEach(System.out::println);
      violations.stream().limit(20).forEach(System.out::println);
      System.out.println(ROUNDS + " rounds, " + totals[0] + " reads, " + totals[1]
          + " reads decided by an acknowledged change, " + totals[2] + " permits after an acknowledged objection, "
          + totals[3] + " denials after an acknowledged withdrawal");
      assertThat(errors).as("every read answered 200").isEmpty();
      assertThat(totals[2]).as("reads that disclosed after the person's objection was acknowledged").isZero();
      assertThat(totals[3]).as("reads that withheld after the objection's withdrawal was acknowledged").isZero();
      assertThat(totals[1]).as("reads that fell inside the windows the promise covers").isGreaterThan(ROUNDS);
      System.out.println("reads inside an objection's window, by replica: " + insideObjection);
      assertThat(insideObjection.keySet()).as("every replica read inside an objection's window")
          .containsExactlyInAnyOrder("care-record", "care-record-2", "referral", "referral-2");
    } finally {
      pool.shutdownNow();
    }
  }

  /** One person's race; answers reads, constrained reads, permits after objection, denials after withdrawal. */
  int[] race(ExecutorService pool, String nurse, int rounds, Random random) throws Exception {
    String personId = People.register("gp.riverside", "Race", "Rae", "1966-08-21");
    People.careTeam("nurse.mht", personId, "MHT01");
    People.allergy("nurse.mht", personId, "Peanut");
    String referral = given().baseUri(Services.REFERRAL).auth().oauth2(Tokens.user("gp.riverside"))
        .contentType("application/fhir+json").body("""
            {"resourceType":"ServiceRequest","status":"active","intent":"order",
             "category":[{"coding":[{"system":"https://fhir.tellonce.org/CodeSystem/service-category","code":"mental-health"}]}],
             "code":{"text":"Anxiety"},"subject":{"reference":"Patient/%s"}}""".formatted(personId))
        .post("/fhir/ServiceRequest").then().statusCode(201).extract().path("id");

    Predicate<JsonNode> allergy = body -> {
      for (JsonNode entry : body.path("entry")) {
        if ("AllergyIntolerance".equals(entry.path("resource").path("resourceType").asText())) {
          return true;
        }
      }
      return false;
    };
    Predicate<JsonNode> content = body -> body.path("code").has("text");
    List<Reader> readers = List.of(
        new Reader("care-record", Services.CARE_RECORD + "/fhir/AllergyIntolerance?patient=" + personId, allergy),
        new Reader("care-record-2", Services.CARE_RECORD_REPLICA + "/fhir/AllergyIntolerance?patient=" + personId,
            allergy),
        new Reader("referral", Services.REFERRAL + "/fhir/ServiceRequest/" + referral, content),
        new Reader("referral-2", Services.REFERRAL_REPLICA + "/fhir/ServiceRequest/" + referral, content));
    for (Reader reader : readers) {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
          .until(() -> reader.discloses().test(get(nurse, reader.url())));
    }

    AtomicBoolean done = new AtomicBoolean();
    List<Read> reads = Collections.synchronizedList(new ArrayList<>());
    List<Future<?>> reading = new ArrayList<>();
    for (Reader reader : readers) {
      reading.add(pool.submit(() -> {
        while (!done.get()) {
          long start = System.nanoTime();
          JsonNode body = get(nurse, reader.url());
          reads.add(new Read(reader.name(), start, System.nanoTime(), body != null && reader.discloses().test(body)));
        }
        return null;
      }));
    }
    List<Round> done0 = new ArrayList<>();
    String consentId = null;
    try {
      for (int round = 0; round < rounds; round++) {
        String first = round % 2 == 0 ? Services.CONSENT : Services.CONSENT_REPLICA;
        String second = round % 2 == 0 ? Services.CONSENT_REPLICA : Services.CONSENT;
        long objectionSent = System.nanoTime();
        var objecting = given().baseUri(first).auth().oauth2(Tokens.user("nurse.mht"))
            .contentType("application/fhir+json").body(Consents.objection(personId, "MHT01", "active"));
        if (consentId == null) {
          consentId = objecting.post("/fhir/Consent").then().statusCode(201).extract().path("id");
        } else {
          objecting.put("/fhir/Consent/" + consentId).then().statusCode(200);
        }
        long objectionAcknowledged = System.nanoTime();
        Thread.sleep(300 + random.nextInt(700));
        long withdrawalSent = System.nanoTime();
        given().baseUri(second).auth().oauth2(Tokens.user("nurse.mht")).contentType("application/fhir+json")
            .body(Consents.objection(personId, "MHT01", "inactive")).put("/fhir/Consent/" + consentId)
            .then().statusCode(200);
        long withdrawalAcknowledged = System.nanoTime();
        done0.add(new Round(objectionSent, objectionAcknowledged, withdrawalSent, withdrawalAcknowledged));
        Thread.sleep(300 + random.nextInt(700));
      }
    } finally {
      done.set(true);
      for (Future<?> reader : reading) {
        reader.get();
      }
    }

    int constrained = 0;
    Map<String, Integer> withheldWindows = new TreeMap<>();
    int permitsAfterObjection = 0;
    int denialsAfterWithdrawal = 0;
    List<Read> all;
    synchronized (reads) {
      all = new ArrayList<>(reads);
    }
    for (int i = 0; i < done0.size(); i++) {
      Round round = done0.get(i);
      long nextObjection = i + 1 < done0.size() ? done0.get(i + 1).objectionSent() : Long.MAX_VALUE;
      for (Read read : all) {
        if (read.start() > round.objectionAcknowledged() && read.end() < round.withdrawalSent()) {
          constrained++;
          withheldWindows.merge(read.where(), 1, Integer::sum);
          if (read.disclosed()) {
            permitsAfterObjection++;
            violations.add("PERMIT after an acknowledged objection: " + read.where() + " round " + i);
          }
        } else if (read.start() > round.withdrawalAcknowledged() && read.end() < nextObjection) {
          constrained++;
          if (!read.disclosed()) {
            denialsAfterWithdrawal++;
            violations.add("DENY after an acknowledged withdrawal: " + read.where() + " round " + i);
          }
        }
      }
    }
    synchronized (insideObjection) {
      withheldWindows.forEach((where, count) -> insideObjection.merge(where, count, Integer::sum));
    }
    return new int[] {all.size(), constrained, permitsAfterObjection, denialsAfterWithdrawal};
  }

  /** The body of a 200 answer; anything else is recorded as an error and answers null. */
  JsonNode get(String token, String url) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
          .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
          .header("Accept", "application/fhir+json").GET().build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        errors.add(url.replaceAll("/[0-9a-f-]{36}", "/{id}").replaceAll("=[0-9a-f-]{36}", "={id}") + " answered "
            + response.statusCode());
        return null;
      }
      return JSON.readTree(response.body());
    } catch (Exception e) {
      errors.add(url + " failed: " + e);
      return null;
    }
  }
}
