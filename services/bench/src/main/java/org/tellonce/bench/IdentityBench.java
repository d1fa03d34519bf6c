package org.tellonce.bench;

import static org.tellonce.bench.BenchSupport.millis;
import static org.tellonce.bench.BenchSupport.row;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.tellonce.bench.Corruption.Duplicate;
import org.tellonce.bench.Population.Person;

/**
 * The identity benchmark (make bench): seeds a synthetic index of {@code bench.people} persons straight into the
 * identity service's database, then measures, through the running service's HTTP API, matching quality on a corrupted
 * duplicate set (precision and recall of certain links), $match latency, and registrations per second.
 *
 * <p>Commands: {@code prepare} (create the bench database), {@code seed} (load the population unless it is already
 * there), {@code run} (measure and write the report).
 */
public final class IdentityBench {

  static final String SEEDED_BY = "BENCH";
  static final long SEED = 20261124L;
  static final ObjectMapper JSON = new ObjectMapper();

  final int people = Integer.getInteger("bench.people", 1_000_000);
  final String postgres = System.getProperty("bench.postgres", "jdbc:postgresql://127.0.0.1:15432/");
  final String database = System.getProperty("bench.database", "identity_bench");
  final String service = System.getProperty("bench.url", "http://127.0.0.1:18081");
  final String keycloak = System.getProperty("bench.keycloak", "http://127.0.0.1:18080");
  final int duplicates = Integer.getInteger("bench.duplicates", 2000);
  final int strangers = Integer.getInteger("bench.strangers", 1000);
  final int latencyRequests = Integer.getInteger("bench.latency-requests", 5000);
  final int registrations = Integer.getInteger("bench.registrations", 2000);
  final Path report = Path.of(System.getProperty("bench.report", "target/bench/identity.md"));
  final Population population = new Population(SEED);
  final HttpClient http = BenchSupport.HTTP;

  public static void main(String[] args) throws Exception {
    BenchSupport.quietLogging();
    IdentityBench bench = new IdentityBench();
    switch (args.length == 0 ? "" : args[0]) {
      case "prepare" -> bench.prepare();
      case "seed" -> bench.seed();
      case "run" -> bench.run();
      default -> {
        System.err.println("usage: IdentityBench prepare|seed|run");
        System.exit(2);
      }
    }
  }

  void prepare() throws SQLException {
    BenchSupport.createDatabase(postgres, database);
  }


  /** Loads the population with COPY, unless exactly this population is already there. */
  void seed() throws Exception {
    try (Connection c = DriverManager.getConnection(postgres + database, "postgres", "")) {
      c.setAutoCommit(false);
      long present = count(c, "select count(*) from person where recorded_by = '" + SEEDED_BY + "'");
      if (present == people) {
        System.out.printf("the index already holds the %,d synthetic people%n", people);
        return;
      }
      long started = System.nanoTime();
      try (Statement s = c.createStatement()) {
        s.execute("truncate person_merge, match_review, person_identifier, person, outbox cascade");
      }
      PGConnection pg = c.unwrap(PGConnection.class);
      String now = OffsetDateTime.now().toString();
      CopyIn persons = pg.getCopyAPI().copyIn("copy person (id, version, nhs_number, resource, recorded_by, active,"
          + " restricted, family, given, birth_date, gender, postcode, created_at, updated_at) from stdin with (format csv)");
      StringBuilder batch = new StringBuilder();
      for (int i = 0; i < people; i++) {
        Person p = population.person(i);
        batch.append(p.id()).append(",1,").append(p.nhsNumber() == null ? "" : p.nhsNumber()).append(',')
            .append(csv(resource(p, now))).append(',').append(SEEDED_BY).append(",true,false,")
            .append(csv(p.family().toLowerCase(Locale.ROOT))).append(',').append(csv(p.given().toLowerCase(Locale.ROOT)))
            .append(',').append(p.birthDate()).append(',').append(p.gender()).append(',')
            .append(p.postcode().replace(" ", "")).append(',').append(now).append(',').append(now).append('\n');
        if (batch.length() > 1 << 20) {
          write(persons, batch);
        }
        if ((i + 1) % 100_000 == 0) {
          System.out.printf("  %,d people written%n", i + 1);
        }
      }
      write(persons, batch);
      persons.endCopy();
      CopyIn identifiers = pg.getCopyAPI().copyIn("copy person_identifier (system, value, person_id) from stdin"
          + " with (format csv)");
      for (int i = 0; i < people; i++) {
        Person p = population.person(i);
        if (p.nhsNumber() != null) {
          batch.append(Population.NHS).append(',').append(p.nhsNumber()).append(',').append(p.id()).append('\n');
        }
        if (p.councilId() != null) {
          batch.append(Population.COUNCIL).append(',').append(p.councilId()).append(',').append(p.id()).append('\n');
        }
        if (batch.length() > 1 << 20) {
          write(identifiers, batch);
        }
      }
      write(identifiers, batch);
      identifiers.endCopy();
      c.commit();
      c.setAutoCommit(true);
      try (Statement s = c.createStatement()) {
        s.execute("vacuum analyze person");
        s.execute("vacuum analyze person_identifier");
      }
      System.out.printf("seeded %,d people in %.0f s%n", people, (System.nanoTime() - started) / 1e9);
    }
  }

  void run() throws Exception {
    try (Connection c = DriverManager.getConnection(postgres + database, "postgres", "");
         Statement s = c.createStatement()) {
      // what earlier runs registered through the API goes, so that every run measures the same index
      s.execute("delete from match_review");
      s.execute("delete from person_merge");
      s.execute("delete from person_identifier where person_id in (select id from person where recorded_by is"
          + " distinct from '" + SEEDED_BY + "')");
      s.execute("delete from person where recorded_by is distinct from '" + SEEDED_BY + "'");
      s.execute("delete from outbox");
      if (count(c, "select count(*) from person") != people) {
        throw new IllegalStateException("the bench index does not hold " + people + " people: run seed first");
      }
    }
    String token = token();
    List<Duplicate> dups = new ArrayList<>();
    for (int k = 0; k < duplicates; k++) {
      dups.add(Corruption.of(population.person((int) ((k * 7_919L + 13) % people)), SEED));
    }
    List<Person> others = new ArrayList<>();
    for (int j = 0; j < strangers; j++) {
      Person stranger = population.person(people + 100_000 + j);
      others.add(stranger.withNhsNumber(null).withCouncilId(null));
    }

    System.out.println("warming up");
    for (int i = 0; i < 300; i++) {
      match(token, dups.get(i % dups.size()).record());
    }

    System.out.println("matching quality");
    int truePositives = 0;
    int falsePositives = 0;
    int reviewable = 0;
    int strangersLinked = 0;
    int misses = 0;
    Map<Corruption.Kind, int[]> byKind = new EnumMap<>(Corruption.Kind.class);
    for (Duplicate dup : dups) {
      JsonNode top = top(match(token, dup.record()));
      String grade = top == null ? null : grade(top);
      boolean right = top != null && dup.truth().id().equals(top.path("resource").path("id").asText());
      if ("certain".equals(grade)) {
        if (right) {
          truePositives++;
        } else {
          falsePositives++;
          JsonNode found = top.path("resource");
          System.out.printf("  wrong certain link (%s): sent %s %s %s %s, expected %s %s %s %s, got %s %s %s %s%n",
              dup.kinds(), dup.record().family(), dup.record().given(), dup.record().birthDate(),
              dup.record().postcode(), dup.truth().family(), dup.truth().given(), dup.truth().birthDate(),
              dup.truth().postcode(), found.path("name").path(0).path("family").asText(),
              found.path("name").path(0).path("given").path(0).asText(), found.path("birthDate").asText(),
              found.path("address").path(0).path("postalCode").asText());
        }
      }
      if (!(right && "certain".equals(grade)) && misses++ < Integer.getInteger("bench.show-misses", 0)) {
        System.out.printf("  missed (%s): sent %s %s %s %s, truth %s %s %s %s; top %s %s%n", dup.kinds(),
            dup.record().family(), dup.record().given(), dup.record().birthDate(), dup.record().postcode(),
            dup.truth().family(), dup.truth().given(), dup.truth().birthDate(), dup.truth().postcode(),
            right ? "right" : "other", grade);
      }
      if (right && ("certain".equals(grade) || "probable".equals(grade))) {
        reviewable++;
      }
      for (Corruption.Kind kind : dup.kinds()) {
        int[] counts = byKind.computeIfAbsent(kind, k -> new int[2]);
        counts[0]++;
        if (right && "certain".equals(grade)) {
          counts[1]++;
        }
      }
    }
    for (Person stranger : others) {
      JsonNode top = top(match(token, stranger));
      if (top != null && "certain".equals(grade(top))) {
        falsePositives++;
        strangersLinked++;
      }
    }

    System.out.println("$match latency");
    long[] probabilistic = new long[latencyRequests];
    for (int i = 0; i < latencyRequests; i++) {
      long t = System.nanoTime();
      match(token, dups.get(i % dups.size()).record());
      probabilistic[i] = System.nanoTime() - t;
    }
    long[] deterministic = new long[Math.max(1, latencyRequests / 5)];
    for (int i = 0; i < deterministic.length; i++) {
      Person known = population.person((int) ((i * 104_729L) % people));
      if (known.nhsNumber() == null) {
        known = population.person((int) ((i * 104_729L + 1) % people));
      }
      long t = System.nanoTime();
      match(token, known.withCouncilId(null));
      deterministic[i] = System.nanoTime() - t;
    }

    System.out.println("registrations");
    int threads = 4;
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long started = System.nanoTime();
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      workers.add(pool.submit(() -> {
        for (int j = next.getAndIncrement(); j < registrations; j = next.getAndIncrement()) {
          Person fresh = population.person(people + 300_000 + j);
          try {
            int status = register(token, fresh.withNhsNumber(Population.nhsNumber(people + 300_000 + j)));
            if (status != 201 && status != 200) {
              failed.incrementAndGet();
            }
          } catch (Exception e) {
            failed.incrementAndGet();
          }
        }
        return null;
      }));
    }
    for (Future<?> worker : workers) {
      worker.get();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    pool.shutdown();

    double precision = truePositives + falsePositives == 0 ? 1.0 : (double) truePositives / (truePositives + falsePositives);
    double recall = (double) truePositives / dups.size();
    StringBuilder md = new StringBuilder();
    md.append("| measure | value |\n|---|---|\n");
    md.append(row("people in the index", "%,d".formatted(people)));
    md.append(row("$match p50 / p95 / p99 / max (probabilistic, no identifier)", millis(probabilistic)));
    md.append(row("$match p50 / p95 / p99 / max (known NHS number)", millis(deterministic)));
    md.append(row("registrations per second (4 clients, matching included)", "%.0f (%d failed)".formatted(
        registrations / seconds, failed.get())));
    md.append(row("corrupted duplicates / strangers queried", dups.size() + " / " + others.size()));
    md.append(row("precision of certain links", "%.4f (%d right, %d wrong, of which %d strangers)".formatted(
        precision, truePositives, falsePositives, strangersLinked)));
    md.append(row("recall of certain links", "%.4f".formatted(recall)));
    md.append(row("recall of certain + probable (linked or sent to review)", "%.4f".formatted(
        (double) reviewable / dups.size())));
    for (Map.Entry<Corruption.Kind, int[]> entry : byKind.entrySet()) {
      md.append(row("recall with " + entry.getKey().name().toLowerCase(Locale.ROOT).replace('_', ' '),
          "%.3f of %d".formatted((double) entry.getValue()[1] / entry.getValue()[0], entry.getValue()[0])));
    }
    Files.createDirectories(report.toAbsolutePath().getParent());
    Files.writeString(report, md.toString());
    System.out.println();
    System.out.print(md);
    System.out.println("\n(report written to " + report.toAbsolutePath() + ")");
  }

  private String token() throws IOException, InterruptedException {
    return BenchSupport.serviceToken(keycloak, "identity");
  }

  private JsonNode match(String token, Person person) throws IOException, InterruptedException {
    Map<String, Object> parameters = Map.of("resourceType", "Parameters", "parameter", List.of(
        Map.of("name", "resource", "resource", patient(person, null)),
        Map.of("name", "count", "valueInteger", 3)));
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(service + "/fhir/Patient/$match"))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/fhir+json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(parameters))).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("$match answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  private int register(String token, Person person) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(service + "/fhir/Patient"))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/fhir+json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(patient(person, null)))).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static JsonNode top(JsonNode bundle) {
    JsonNode entries = bundle.path("entry");
    return entries.isArray() && entries.size() > 0 ? entries.get(0) : null;
  }

  private static String grade(JsonNode entry) {
    for (JsonNode extension : entry.path("search").path("extension")) {
      if ("http://hl7.org/fhir/StructureDefinition/match-grade".equals(extension.path("url").asText())) {
        return extension.path("valueCode").asText();
      }
    }
    return null;
  }

  /** The person as a FHIR Patient (JSON-ready maps), as a partner system would send or the index would store it. */
  static Map<String, Object> patient(Person p, String lastUpdated) {
    Map<String, Object> patient = new LinkedHashMap<>();
    patient.put("resourceType", "Patient");
    if (p.id() != null && lastUpdated != null) {
      patient.put("id", p.id());
      patient.put("meta", Map.of("versionId", "1", "lastUpdated", lastUpdated));
    }
    List<Map<String, String>> identifiers = new ArrayList<>();
    if (p.nhsNumber() != null) {
      identifiers.add(Map.of("system", Population.NHS, "value", p.nhsNumber()));
    }
    if (p.councilId() != null) {
      identifiers.add(Map.of("system", Population.COUNCIL, "value", p.councilId()));
    }
    if (!identifiers.isEmpty()) {
      patient.put("identifier", identifiers);
    }
    patient.put("name", List.of(Map.of("use", "official", "family", p.family(), "given", List.of(p.given()))));
    patient.put("gender", p.gender());
    patient.put("birthDate", p.birthDate().toString());
    patient.put("address", List.of(Map.of("use", "home", "line", List.of(p.line()), "postalCode", p.postcode())));
    return patient;
  }

  private static String resource(Person p, String now) throws IOException {
    return JSON.writeValueAsString(patient(p, now));
  }

  private static String csv(String value) {
    return '"' + value.replace("\"", "\"\"") + '"';
  }

  private static void write(CopyIn copy, StringBuilder batch) throws SQLException {
    byte[] bytes = batch.toString().getBytes(StandardCharsets.UTF_8);
    copy.writeToCopy(bytes, 0, bytes.length);
    batch.setLength(0);
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
