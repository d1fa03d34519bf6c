package org.tellonce.bench;

import static org.tellonce.bench.BenchSupport.row;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The time from an acknowledged objection to the first denied read in the shared record, and the count of reads
 * that still disclosed after the acknowledgement (goal 0), over many rounds against the running stack: object (2xx),
 * read at once as the council, withdraw (2xx), read at once again.
 */
final class WithdrawalRace {

  static final String ODS = "https://fhir.nhs.uk/Id/ods-organization-code";

  final String identity = System.getProperty("bench.identity", "http://127.0.0.1:8081");
  final String consent = System.getProperty("bench.consent-stack", "http://127.0.0.1:8082");
  final String record = System.getProperty("bench.care-record", "http://127.0.0.1:8083");
  final String keycloak = System.getProperty("bench.keycloak", "http://127.0.0.1:18080");
  final int rounds = Integer.getInteger("bench.rounds", 1000);
  final Path report = Path.of(System.getProperty("bench.race-report", "target/bench/withdrawal-race.md"));

  String nurse;
  String council;

  void run() throws Exception {
    nurse = BenchSupport.userToken(keycloak, "nurse.mht");
    council = BenchSupport.userToken(keycloak, "sw.council");
    String personId = send("POST", identity + "/fhir/Patient", nurse, """
        {"resourceType":"Patient","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"%s"}],
         "name":[{"family":"Race","given":["Bench"]}],"birthDate":"1960-01-01"}""".formatted(
        Population.nhsNumber(ThreadLocalRandom.current().nextInt(1_350_000, 1_428_000))), 201)
        .path("id").asText();
    send("POST", identity + "/fhir/CareTeam", nurse, """
        {"resourceType":"CareTeam","status":"active","subject":{"reference":"Patient/%s"},
         "participant":[{"member":{"identifier":{"system":"%s","value":"MHT01"}}},
                        {"member":{"identifier":{"system":"%s","value":"LA001"}}}]}""".formatted(personId, ODS, ODS),
        201);
    send("POST", record + "/fhir/AllergyIntolerance", nurse, """
        {"resourceType":"AllergyIntolerance",
         "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical","code":"active"}]},
         "code":{"text":"Penicillin"},"patient":{"reference":"Patient/%s"}}"""
        .formatted(personId), 201);
    long deadline = System.currentTimeMillis() + 60_000;
    while (!visible(personId)) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("the care team did not reach consent within 60 s");
      }
      Thread.sleep(200);
    }

    String consentId = null;
    long stale = 0;
    long[] toDenied = new long[rounds];
    long[] toVisible = new long[rounds];
    for (int round = 0; round < rounds; round++) {
      String body = objection(personId, "active");
      long start;
      if (consentId == null) {
        consentId = send("POST", consent + "/fhir/Consent", nurse, body, 201).path("id").asText();
      } else {
        send("PUT", consent + "/fhir/Consent/" + consentId, nurse, body, 200);
      }
      start = System.nanoTime();
      stale += visible(personId) ? 1 : 0;
      toDenied[round] = System.nanoTime() - start;

      send("PUT", consent + "/fhir/Consent/" + consentId, nurse, objection(personId, "inactive"), 200);
      start = System.nanoTime();
      stale += visible(personId) ? 0 : 1;
      toVisible[round] = System.nanoTime() - start;
    }
    StringBuilder md = new StringBuilder("# Withdraw-while-reading races\n\n| measure | value |\n|---|---|\n")
        .append(row("rounds (object, read, withdraw, read)", String.valueOf(rounds)))
        .append(row("reads on state older than an acknowledged change", String.valueOf(stale)))
        .append(row("acknowledged objection to first denied read, p50 / p95 / p99 / max",
            BenchSupport.millis(toDenied)))
        .append(row("acknowledged withdrawal to first permitted read, p50 / p95 / p99 / max",
            BenchSupport.millis(toVisible)));
    System.out.print(md);
    Files.createDirectories(report.toAbsolutePath().getParent());
    Files.writeString(report, md.toString());
    if (stale > 0) {
      System.exit(1);
    }
  }

  /** Whether the council sees the allergy in a search of the shared record. */
  boolean visible(String personId) throws Exception {
    JsonNode bundle = send("GET", record + "/fhir/AllergyIntolerance?patient=" + personId, council, null, 200);
    for (JsonNode entry : bundle.path("entry")) {
      if ("AllergyIntolerance".equals(entry.path("resource").path("resourceType").asText())) {
        return true;
      }
    }
    return false;
  }

  static String objection(String personId, String status) {
    return """
        {"resourceType":"Consent","status":"%2$s",
         "scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},
         "category":[{"coding":[{"system":"http://loinc.org","code":"59284-0"}]}],
         "patient":{"reference":"Patient/%1$s"},"performer":[{"reference":"Patient/%1$s"}],
         "provision":{"type":"deny","actor":[{"reference":{"identifier":{"system":"%3$s","value":"LA001"}}}]}}"""
        .formatted(personId, status, ODS);
  }

  JsonNode send(String method, String url, String token, String body, int expected) throws Exception {
    // a registration that matched a person already known is linked to them (200), as good as created here
    return expected == 201 && "POST".equals(method)
        ? BenchSupport.send(token, method, url, body, 201, 200)
        : BenchSupport.send(token, method, url, body, expected);
  }
}
