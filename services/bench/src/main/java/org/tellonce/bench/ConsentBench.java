package org.tellonce.bench;

import static org.tellonce.bench.BenchSupport.HTTP;
import static org.tellonce.bench.BenchSupport.JSON;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Consent benchmarks over real HTTP, PostgreSQL and Keycloak. {@code prepare} creates the bench database;
 * {@code seed} loads persons with a care team and 20 provisions each (5 Consents, nested) and an agreement, unless
 * there; {@code decisions} measures batches of 50 item decisions from concurrent clients; {@code race} measures
 * withdraw-then-read rounds through care-record against the running stack (0 stale permits expected).
 */
public final class ConsentBench {

  static final String ODS = "https://fhir.nhs.uk/Id/ods-organization-code";
  static final String[] ORGS = {"MHT01", "LA001", "GPP01", "VCS01", "RHT01"};
  static final String[] TYPES = {"Condition", "AllergyIntolerance", "MedicationStatement", "Observation",
      "DocumentReference", "CarePlan"};

  final int persons = Integer.getInteger("bench.persons", 10_000);
  final String postgres = System.getProperty("bench.postgres", "jdbc:postgresql://127.0.0.1:15432/");
  final String database = System.getProperty("bench.database", "consent_bench");
  final String consent = System.getProperty("bench.consent", "http://127.0.0.1:18082");
  final String keycloak = System.getProperty("bench.keycloak", "http://127.0.0.1:18080");
  final Path report = Path.of(System.getProperty("bench.report", "target/bench/consent.md"));
  /** The numbers of concurrent clients to measure with, one after another. */
  final int[] clientCounts = Arrays.stream(System.getProperty("bench.clients", "1,2,4,8").split(","))
      .mapToInt(Integer::parseInt).toArray();
  final int seconds = Integer.getInteger("bench.seconds", 20);
  final int warmup = Integer.getInteger("bench.warmup", 30);

  public static void main(String[] args) throws Exception {
    BenchSupport.quietLogging();
    ConsentBench bench = new ConsentBench();
    switch (args.length == 0 ? "" : args[0]) {
      case "prepare" -> bench.prepare();
      case "seed" -> bench.seed();
      case "decisions" -> bench.decisions();
      case "race" -> new WithdrawalRace().run();
      default -> {
        System.err.println("usage: ConsentBench prepare|seed|decisions|race");
        System.exit(2);
      }
    }
  }

  void prepare() throws Exception {
    BenchSupport.createDatabase(postgres, database);
  }


  static String person(int i) {
    return "bench-" + i;
  }

  /** A Consent of 4 provisions (a root and 3 nested exceptions), as the JMH benchmark builds it. */
  static String consent(String personId, int c) throws Exception {
    List<Object> exceptions = new ArrayList<>();
    for (int e = 0; e < 3; e++) {
      int n = c * 3 + e;
      var provision = new java.util.LinkedHashMap<String, Object>();
      provision.put("type", n % 2 == 0 ? "permit" : "deny");
      provision.put("period", java.util.Map.of("start", "2026-01-01T00:00:00Z"));
      provision.put("actor", List.of(java.util.Map.of("reference", java.util.Map.of("identifier",
          java.util.Map.of("system", ODS, "value", ORGS[n % ORGS.length])))));
      provision.put("purpose", List.of(java.util.Map.of("system", "http://terminology.hl7.org/CodeSystem/v3-ActReason",
          "code", n % 3 == 0 ? "CAREMGT" : "TREAT")));
      provision.put("class", List.of(java.util.Map.of("system", "http://hl7.org/fhir/resource-types",
          "code", TYPES[n % TYPES.length])));
      if (n % 4 == 0) {
        provision.put("securityLabel", List.of(java.util.Map.of("system",
            "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code", "SOC")));
      }
      exceptions.add(provision);
    }
    var root = new java.util.LinkedHashMap<String, Object>();
    root.put("type", "permit");
    root.put("actor", List.of(java.util.Map.of("reference", java.util.Map.of("identifier",
        java.util.Map.of("system", ODS, "value", ORGS[(c + 1) % ORGS.length])))));
    root.put("provision", exceptions);
    var resource = new java.util.LinkedHashMap<String, Object>();
    resource.put("resourceType", "Consent");
    resource.put("id", personId + "-c" + c);
    resource.put("meta", java.util.Map.of("versionId", "1", "lastUpdated", "2026-03-03T10:00:00Z"));
    resource.put("status", "active");
    resource.put("scope", java.util.Map.of("coding", List.of(java.util.Map.of("system",
        "http://terminology.hl7.org/CodeSystem/consentscope", "code", "patient-privacy"))));
    resource.put("category", List.of(java.util.Map.of("coding", List.of(java.util.Map.of("system",
        "http://loinc.org", "code", "59284-0")))));
    resource.put("patient", java.util.Map.of("reference", "Patient/" + personId));
    resource.put("performer", List.of(java.util.Map.of("reference", "Patient/" + personId)));
    resource.put("dateTime", "2026-03-03T10:00:00Z");
    resource.put("provision", root);
    return JSON.writeValueAsString(resource);
  }

  /** Loads the persons unless they are there (the service must have run its migrations on the database first). */
  void seed() throws Exception {
    try (Connection c = DriverManager.getConnection(postgres + database, "postgres", "")) {
      try (Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("select (select count(*) from care_team where id like 'bench-team-%'),"
               + " (select count(*) from consent_version where consent_id like 'bench-%')")) {
        rs.next();
        if (rs.getInt(1) == persons && rs.getInt(2) == persons * 5) {
          System.out.println(persons + " bench persons already seeded");
          return;
        }
      }
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("delete from consent_version where consent_id like 'bench-%'");
        s.execute("delete from consent_record where id like 'bench-%'");
        s.execute("delete from care_team_member where care_team_id like 'bench-team-%'");
        s.execute("delete from care_team where id like 'bench-team-%'");
        s.execute("delete from sharing_agreement where id = 'bench-ics'");
        s.execute("""
            insert into sharing_agreement (id, version, status, body, updated_by, created_at, updated_at)
            values ('bench-ics', 1, 'active', '{"title":"Bench ICS direct care","status":"active","parties":["MHT01","LA001","GPP01","VCS01","RHT01"],"purposes":["TREAT","ETREAT","CAREMGT","COC"],"dataClasses":["*"],"reference":"BENCH"}', 'bench', now(), now())""");
      }
      OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
      try (PreparedStatement team = c.prepareStatement(
               "insert into care_team (id, person_id, version, status) values (?, ?, 1, 'active')");
           PreparedStatement member = c.prepareStatement(
               "insert into care_team_member (care_team_id, person_id, organization) values (?, ?, ?)");
           PreparedStatement record = c.prepareStatement("insert into consent_record (id, person_id, status, version,"
               + " resource, recorded_by, updated_at, objection, national_opt_out)"
               + " values (?, ?, 'active', 1, ?, 'MHT01', ?, ?, false)");
           PreparedStatement version = c.prepareStatement("insert into consent_version (consent_id, version, resource,"
               + " recorded_by, recorded_at) values (?, 1, ?, 'MHT01', ?)")) {
        for (int i = 0; i < persons; i++) {
          String personId = person(i);
          team.setString(1, "bench-team-" + i);
          team.setString(2, personId);
          team.addBatch();
          for (String org : List.of("MHT01", "LA001")) {
            member.setString(1, "bench-team-" + i);
            member.setString(2, personId);
            member.setString(3, org);
            member.addBatch();
          }
          for (int k = 0; k < 5; k++) {
            String text = consent(personId, k);
            record.setString(1, personId + "-c" + k);
            record.setString(2, personId);
            record.setString(3, text);
            record.setObject(4, now);
            record.setBoolean(5, true);
            record.addBatch();
            version.setString(1, personId + "-c" + k);
            version.setString(2, text);
            version.setObject(3, now);
            version.addBatch();
          }
          if (i % 1000 == 999) {
            team.executeBatch();
            member.executeBatch();
            record.executeBatch();
            version.executeBatch();
          }
        }
        team.executeBatch();
        member.executeBatch();
        record.executeBatch();
        version.executeBatch();
      }
      c.commit();
      System.out.println("seeded " + persons + " persons with 20 provisions each");
    }
  }

  /** A batch of 50 items for one person, as care-record asks for one page. */
  static String batch(String personId) {
    StringBuilder data = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      data.append(i == 0 ? "" : ",").append("{\"id\":\"R/").append(i).append("\",\"resourceType\":\"")
          .append(TYPES[i % TYPES.length]).append("\",\"labels\":[").append(i % 5 == 0 ? "\"PSY\"" : "")
          .append("]}");
    }
    return """
        {"subject":"%s","purpose":"TREAT","actor":{"organization":"LA001","user":"sw.council","roles":["social-worker"]},
         "data":[%s]}""".formatted(personId, data);
  }

  void decisions() throws Exception {
    String token = BenchSupport.serviceToken(keycloak, "care-record");
    String mix = answerMix(token);
    // warm up the service's JIT and pools
    run(token, clientCounts[clientCounts.length - 1], warmup);
    StringBuilder md = new StringBuilder("# Consent decisions over HTTP\n\n")
        .append("Each batch is answered in full (one person's: ").append(mix).append(").\n\n")
        .append(persons).append(" persons, each with a care team and 20 provisions in 5 Consents; batches of 50 items;")
        .append(" each client sends its next batch when the last is answered; ").append(seconds)
        .append(" s per row after a ").append(warmup).append(" s warm-up.\n\n")
        .append("| concurrent clients | item decisions per second | per batch p50 / p95 / p99 / max | errors |\n")
        .append("|---|---|---|---|\n");
    for (int clients : clientCounts) {
      Result result = run(token, clients, seconds);
      md.append("| ").append(clients).append(" | ")
          .append("%.0f".formatted(result.latencies().length * 50.0 / seconds)).append(" | ")
          .append(BenchSupport.millis(result.latencies())).append(" | ").append(result.errors()).append(" |\n");
    }
    System.out.print(md);
    Files.createDirectories(report.toAbsolutePath().getParent());
    Files.writeString(report, md.toString());
  }

  record Result(long[] latencies, long errors) {}

  /**
   * What one batch is answered — so a fast run is a run of real decisions: fails when any item could not be decided
   * (for example a Consent whose text the service cannot read), and names how many were permitted and why others not.
   */
  String answerMix(String token) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(consent + "/decisions"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(batch(person(0)))).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("decisions answered " + response.statusCode() + ": " + response.body());
    }
    java.util.Map<String, Integer> bySource = new java.util.TreeMap<>();
    int permits = 0;
    for (com.fasterxml.jackson.databind.JsonNode d : JSON.readTree(response.body()).path("decisions")) {
      String source = d.path("reasons").path(0).path("source").asText();
      if (source.startsWith("policy/undecidable")) {
        throw new IllegalStateException("the service could not decide: " + d.path("reasons").path(0).path("text"));
      }
      if ("PERMIT".equals(d.path("decision").asText())) {
        permits++;
      } else {
        bySource.merge(source.replaceAll("/[^/]*$", "/…"), 1, Integer::sum);
      }
    }
    return permits + " of 50 permitted; denied by " + bySource;
  }

  Result run(String token, int clients, int duration) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong errors = new AtomicLong();
    List<Future<long[]>> futures = new ArrayList<>();
    for (int t = 0; t < clients; t++) {
      int client = t;
      futures.add(pool.submit(() -> {
        Random random = new Random(client);
        long[] latencies = new long[1 << 16];
        int n = 0;
        while (running.get()) {
          HttpRequest request = HttpRequest.newBuilder(URI.create(consent + "/decisions"))
              .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(batch(person(random.nextInt(persons))))).build();
          long start = System.nanoTime();
          HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
          long took = System.nanoTime() - start;
          if (response.statusCode() != 200) {
            errors.incrementAndGet();
            continue;
          }
          if (n == latencies.length) {
            latencies = Arrays.copyOf(latencies, n * 2);
          }
          latencies[n++] = took;
        }
        return Arrays.copyOf(latencies, n);
      }));
    }
    Thread.sleep(duration * 1000L);
    running.set(false);
    List<long[]> all = new ArrayList<>();
    for (Future<long[]> future : futures) {
      all.add(future.get());
    }
    pool.shutdown();
    long[] merged = all.stream().flatMapToLong(Arrays::stream).toArray();
    return new Result(merged, errors.get());
  }
}
