package org.tellonce.bench;

import static org.tellonce.bench.BenchSupport.HTTP;
import static org.tellonce.bench.BenchSupport.JSON;
import static org.tellonce.bench.BenchSupport.row;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The shared record against the running stack: writes by transaction Bundle, gated reads by id and gated patient
 * searches (each asks the consent service), {@code $everything} of a person with 500 resources, and council events
 * ingested end to end (Kafka to stored, validated resources). Latencies are per request, on this 2-core machine with
 * every server on it.
 */
final class CareRecordBench {

  static final String ODS = "https://fhir.nhs.uk/Id/ods-organization-code";

  final String identity = System.getProperty("bench.identity", "http://127.0.0.1:8081");
  final String consent = System.getProperty("bench.consent-stack", "http://127.0.0.1:8082");
  final String record = System.getProperty("bench.care-record", "http://127.0.0.1:8083");
  final String peer = System.getProperty("bench.peer", "http://127.0.0.1:18090");
  final String keycloak = System.getProperty("bench.keycloak", "http://127.0.0.1:18080");
  final String kafka = System.getProperty("bench.kafka", "127.0.0.1:19092");
  final String postgres = System.getProperty("bench.postgres", "jdbc:postgresql://127.0.0.1:15432/");
  final int resources = Integer.getInteger("bench.record-resources", 500);
  final int reads = Integer.getInteger("bench.record-reads", 2000);
  final int warmUp = Integer.getInteger("bench.record-warm-up", 4000);
  /** The header that switches the gate off for one request (care-record in its per-request benchmark setting). */
  static final String GATE_HEADER = "X-Tellonce-Benchmark-Gate";
  /** Rounds of each measure taken alternately (the gate's cost; tellonce and HAPI side by side). */
  final int alternateRounds = Integer.getInteger("bench.alternate-rounds", 10);
  final int warmUpRounds = Integer.getInteger("bench.record-warm-up-rounds", 5);
  final int councilEvents = Integer.getInteger("bench.council-events", 20000);
  final Path report = Path.of(System.getProperty("bench.report", "target/bench/care-record.md"));

  String nurse;
  final StringBuilder out = new StringBuilder();

  /** Where the phases leave what the next needs: the person, the resources written, and each configuration's figures. */
  final Path state = Path.of(System.getProperty("bench.state", "target/bench/care-record-state.properties"));
  final Properties figures = new Properties();

  /**
   * Phases, run by deploy/bench.sh around restarts of the care-record service: {@code write} (the person and 500
   * Observations), {@code reads CONFIG} (warm-up, then gated reads, searches and $everything, as the running service is
   * configured: {@code leased}, {@code asked} or {@code off}), {@code council} (council events end to end), and
   * {@code report} (the table, with the gate's cost from the three configurations).
   */
  public static void main(String[] args) throws Exception {
    BenchSupport.quietLogging();
    CareRecordBench bench = new CareRecordBench();
    if (Files.exists(bench.state)) {
      try (var in = Files.newBufferedReader(bench.state)) {
        bench.figures.load(in);
      }
    }
    switch (args.length == 0 ? "all" : args[0]) {
      case "write" -> bench.write();
      case "reads" -> bench.reads(args[1]);
      case "council" -> bench.council();
      case "gate-cost" -> bench.gateCost();
      case "gate-interleaved" -> bench.gateInterleaved();
      case "peer-database" -> bench.peerDatabase();
      case "peer" -> bench.peer();
      case "side-by-side" -> bench.sideBySide(true);
      case "side-by-side-interleaved" -> bench.sideBySide(false);
      case "report" -> bench.report();
      default -> {
        bench.write();
        bench.reads("leased");
        bench.council();
        bench.report();
      }
    }
    Files.createDirectories(bench.state.getParent());
    try (var writer = Files.newBufferedWriter(bench.state)) {
      bench.figures.store(writer, "care-record bench: state between phases");
    }
  }

  void write() throws Exception {
    figures.clear();
    // The ICS agreement that gives the trust a lawful basis to read (as the test suites and the demo record it).
    nurse = BenchSupport.userToken(keycloak, "admin");
    send("POST", consent + "/agreements", """
        {"title":"Riverside ICS direct care (bench)","status":"active","parties":["MHT01","GPP01","LA001","VCS01"],
         "purposes":["TREAT","ETREAT","CAREMGT","COC"],"dataClasses":["*"],"reference":"bench"}""", 201);
    nurse = BenchSupport.userToken(keycloak, "nurse.mht");
    String personId = send("POST", identity + "/fhir/Patient", patient(), 201).path("id").asText();
    send("POST", identity + "/fhir/CareTeam", """
        {"resourceType":"CareTeam","status":"active","subject":{"reference":"Patient/%s"},
         "participant":[{"member":{"identifier":{"system":"%s","value":"MHT01"}}}]}""".formatted(personId, ODS), 201);

    // Writes: transaction Bundles of 100 Observations (validated, indexed, versioned, with a Provenance each).
    long start = System.nanoTime();
    List<String> ids = new ArrayList<>();
    for (int batch = 0; batch < resources / 100; batch++) {
      StringBuilder entries = new StringBuilder();
      for (int i = 0; i < 100; i++) {
        entries.append(i == 0 ? "" : ",").append("""
            {"resource":%s,"request":{"method":"POST","url":"Observation"}}""".formatted(observation(i, personId)));
      }
      JsonNode answer = send("POST", record + "/fhir", transaction(entries), 200);
      answer.path("entry").forEach(e -> ids.add("fhir/"
          + e.path("response").path("location").asText().split("/_history")[0]));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    figures.setProperty("person", personId);
    figures.setProperty("ids", String.join(",", ids));
    figures.setProperty("write", row("write " + resources + " Observations in transaction Bundles of 100",
        "%.1f s, %.0f resources/s".formatted(seconds, resources / seconds)));
  }

  /** The patient search the measures send: the person's Observations of one code, 20 a page. */
  static String patientSearch(String personId) {
    return "/fhir/Observation?subject=" + personId + "&code=271649006&_count=20";
  }

  /** Waits until {@code base} shows the resource (the care team has reached the consent service), at most 60 s. */
  void awaitReadable(String base, String id) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (status("GET", base + "/" + id) != 200) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(base + ": the record was not readable within 60 s");
      }
      Thread.sleep(200);
    }
  }

  /** Gated reads, searches and $everything against the service as it now runs ({@code config} names how). */
  void reads(String config) throws Exception {
    nurse = BenchSupport.userToken(keycloak, "nurse.mht");
    String personId = figures.getProperty("person");
    List<String> ids = List.of(figures.getProperty("ids").split(","));
    // Wait until the care team has reached the consent service (and the service answers), then measure.
    awaitReadable(record, ids.get(0));
    readsOf(config, record, ids, patientSearch(personId), "/fhir/Patient/" + personId + "/$everything?_count=200");
  }

  /**
   * The measures, against whichever server {@code base} is: warm-up, then reads by id and patient searches from 1 and
   * 4 clients, then every page of $everything, 20 times. The same code measures tellonce and the HAPI peer.
   */
  void readsOf(String config, String base, List<String> ids, String search, String everythingUrl) throws Exception {
    // Warm-up, not recorded: the JIT compiles the read and search paths (the first thousands of requests ran 2-3x slower)
    warmUpReads(base, ids, search);
    String gate = config.equals(PEER) ? "" : "gated ";
    if (!config.equals(PEER)) {
      figures.setProperty(config + ".clock", clock(ZonedDateTime.now(MONITOR_ZONE)));
    }
    for (int clients : new int[] {1, 4}) {
      measure(config + ".read" + clients, gate + "read by id, " + clients + " client(s)", clients, reads,
          i -> base + "/" + ids.get(i % ids.size()));
      measure(config + ".search" + clients, gate + "patient search (_count=20, code), " + clients + " client(s)",
          clients, reads / 2, i -> base + search);
    }
    // $everything: every page of the person's 500 resources (and their Provenance), 200 per page.
    long[] everything = new long[20];
    int pageCount = 0;
    int resourceCount = 0;
    // five rounds of warm-up first (negative rounds are not recorded)
    for (int round = -5; round < everything.length; round++) {
      long t = System.nanoTime();
      String next = base + everythingUrl;
      pageCount = 0;
      resourceCount = 0;
      while (next != null) {
        JsonNode page = send("GET", next, null, 200);
        pageCount++;
        resourceCount += page.path("entry").size();
        next = null;
        for (JsonNode link : page.path("link")) {
          if ("next".equals(link.path("relation").asText())) {
            String url = link.path("url").asText();
            // tellonce's links are relative to its base (FHIR allows either); HAPI's are absolute
            next = url.startsWith("http") ? url : base + "/" + url;
          }
        }
      }
      if (round >= 0) {
        everything[round] = System.nanoTime() - t;
      }
    }
    record(config + ".everything", "$everything, " + resourceCount + " resources (500 Observations, their Provenance"
        + (resourceCount > 2 * resources ? ", the Patient" : "") + ") in " + pageCount + " pages of 200", everything,
        everything.length / (LongStream.of(everything).sum() / 1e9));
  }

  /**
   * The same measures against HAPI FHIR's JPA server (services/hapi-peer, started by deploy/bench.sh), loaded with the
   * same person and 500 Observations, each with a Provenance as tellonce records one. HAPI puts a Provenance in the
   * person's compartment only when it targets the Patient, so each targets both the Observation and the Patient:
   * {@code $everything} then returns the same resources from both servers. No gate, no token checked.
   */
  void peer() throws Exception {
    nurse = BenchSupport.userToken(keycloak, "nurse.mht");
    String personId = send("POST", peer + "/fhir/Patient", patient(), 201).path("id").asText();
    long start = System.nanoTime();
    List<String> ids = new ArrayList<>();
    for (int batch = 0; batch < resources / 100; batch++) {
      StringBuilder entries = new StringBuilder();
      for (int i = 0; i < 100; i++) {
        String observation = "urn:uuid:" + UUID.randomUUID();
        entries.append(i == 0 ? "" : ",").append("""
            {"fullUrl":"%s","resource":%s,"request":{"method":"POST","url":"Observation"}},
            {"resource":{"resourceType":"Provenance","target":[{"reference":"%s"},{"reference":"Patient/%s"}],
              "recorded":"2025-01-01T09:00:00Z","agent":[{"who":{"identifier":{"system":"%s","value":"MHT01"}}}]},
             "request":{"method":"POST","url":"Provenance"}}""".formatted(observation, observation(i, personId),
            observation, personId, ODS));
      }
      JsonNode answer = send("POST", peer + "/fhir", transaction(entries), 200);
      answer.path("entry").forEach(e -> {
        String location = e.path("response").path("location").asText();
        if (location.startsWith("Observation/")) {
          ids.add("fhir/" + location.split("/_history")[0]);
        }
      });
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    figures.setProperty(PEER + ".write", "%.1f s, %.0f resources/s".formatted(seconds, 2 * resources / seconds));
    String search = "/fhir/Observation?subject=Patient/" + personId + "&code=271649006&_count=20";
    figures.setProperty(PEER + ".ids", String.join(",", ids));
    figures.setProperty(PEER + ".search", search);
    readsOf(PEER, peer, ids, search,
        "/fhir/Patient/" + personId + "/$everything?_count=200");
  }

  /** The bench's person, as both servers are given it. */
  static String patient() {
    return """
        {"resourceType":"Patient","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"%s"}],
         "name":[{"family":"Record","given":["Bench"]}],"birthDate":"1961-01-01"}""".formatted(
        Population.nhsNumber(ThreadLocalRandom.current().nextInt(1_428_000, 1_428_500)));
  }

  /** The i-th of the person's Observations: two codes alternating, a date in 2025. */
  static String observation(int i, String personId) {
    return """
        {"resourceType":"Observation","status":"final",
         "code":{"coding":[{"system":"http://snomed.info/sct","code":"%s"}]},
         "effectiveDateTime":"2025-%02d-%02dT09:00:00Z","subject":{"reference":"Patient/%s"}}""".formatted(
        i % 2 == 0 ? "271649006" : "72313002", 1 + i % 12, 1 + i % 28, personId);
  }

  static String transaction(CharSequence entries) {
    return "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[" + entries + "]}";
  }

  /** The peer's own database on the PostgreSQL server the stack runs, created before the peer starts. */
  void peerDatabase() throws Exception {
    BenchSupport.createDatabase(postgres, PEER_DATABASE);
  }

  static final String PEER_DATABASE = "hapi_peer";

  /** The key under which the HAPI FHIR JPA peer's figures are kept. */
  static final String PEER = "hapi";

  static final Map<String, String> CONFIGS = Map.of("leased", "gate on (answers leased)",
      "asked", "gate on, asked every time", "off", "gate off");

  /** The zone and working day of the access monitor's defaults (care-record's tellonce.monitor.*). */
  static final ZoneId MONITOR_ZONE = ZoneId.of("Europe/London");
  static final LocalTime DAY_STARTS = LocalTime.of(7, 0);
  static final LocalTime DAY_ENDS = LocalTime.of(19, 0);

  /**
   * When reads were measured, and whether within the access monitor's working day: outside it every read of the
   * bench's nurse is an out-of-hours signal, which the monitor stores and counts, so the same reads cost more at night
   * and at weekends.
   */
  static String clock(ZonedDateTime at) {
    boolean weekday = at.getDayOfWeek() != DayOfWeek.SATURDAY && at.getDayOfWeek() != DayOfWeek.SUNDAY;
    LocalTime time = at.toLocalTime();
    boolean workingDay = weekday && !time.isBefore(DAY_STARTS) && time.isBefore(DAY_ENDS);
    return "%s %s (%s): %s".formatted(at.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH),
        at.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")), at.getZone(), workingDay
            ? "within the access monitor's working day (07:00–19:00 on weekdays)"
            : "outside the access monitor's working day (07:00–19:00 on weekdays): every read is an out-of-hours"
                + " signal the monitor stores and counts");
  }

  /** The report: writes, each measure in each configuration run, the gate's cost, and the council events. */
  void report() throws Exception {
    out.append("| measure | result |\n|---|---|\n").append(figures.getProperty("write", ""));
    List<String> configs = List.of("leased", "asked", "off").stream()
        .filter(c -> figures.containsKey(c + ".read1.name")).toList();
    for (String config : configs) {
      if (figures.containsKey(config + ".clock")) {
        out.append(row("reads " + CONFIGS.get(config) + " measured", figures.getProperty(config + ".clock")));
      }
      for (String measure : MEASURES) {
        String key = config + "." + measure;
        out.append(row(figures.getProperty(key + ".name") + " — " + CONFIGS.get(config) + ", p50 / p95 / p99 / max",
            figures.getProperty(key + ".latency") + ", %.0f requests/s".formatted(rate(key))));
      }
    }
    if (configs.contains("off")) {
      out.append("\n| cost of the gate (throughput lost against the gate off; p50 added) | answers leased |"
          + " asked every time |\n|---|---|---|\n");
      for (String measure : MEASURES) {
        StringBuilder line = new StringBuilder("| " + figures.getProperty("off." + measure + ".name") + " |");
        for (String config : List.of("leased", "asked")) {
          String key = config + "." + measure;
          line.append(!figures.containsKey(key + ".rate") ? " — |" : " %.1f %% · %+.2f ms |".formatted(
              100 * (1 - rate(key) / rate("off." + measure)),
              figure(key + ".p50") - figure("off." + measure + ".p50")));
        }
        out.append(line).append('\n');
      }
    }
    if (figures.containsKey("ab.on.read1.name")) {
      out.append("\n| the gate's cost measured alternately (" + alternateRounds + " rounds each, on-off then off-on:"
          + " one care-record, requests through the gate as shipped and requests with the benchmark's switch to"
          + " no gate; " + figures.getProperty("ab.clock")
          + ") | gate on: p50 / p99, requests/s | gate off | cost: throughput lost over all rounds | cost: the"
          + " median round's | on ÷ off by round, lowest – highest |\n|---|---|---|---|---|---|\n");
      for (String measure : List.of("read1", "search1", "read4", "search4")) {
        String on = "ab.on." + measure;
        String off = "ab.off." + measure;
        if (!figures.containsKey(on + ".rate")) {
          continue;
        }
        List<String> ratios = List.of(figures.getProperty("ab." + measure + ".ratios").split(","));
        out.append("| %s | %s / %s ms, %.0f/s | %s / %s ms, %.0f/s | %.1f %% | %.1f %% | %s – %s |%n".formatted(
            figures.getProperty(on + ".name"), millis(on + ".p50"), millis(on + ".p99"), rate(on),
            millis(off + ".p50"), millis(off + ".p99"), rate(off), 100 * (1 - rate(on) / rate(off)),
            100 * (1 - figure("ab." + measure + ".median")), ratios.get(0), ratios.get(ratios.size() - 1)));
      }
    }
    interleavedTable("mix", "on", "off", "the gate's cost request by request (one care-record, each client's requests"
        + " through the gate and past it in turn; " + figures.getProperty("ab.clock") + ") | gate on: mean / p50 / p99"
        + " | gate off | cost: latency added (by the mean: the throughput a waiting client loses; by p50)");
    if (figures.containsKey(PEER + ".read1.name") && configs.contains("leased")) {
      out.append("\n| side by side, one run: tellonce with its gate (answers leased) and HAPI FHIR JPA 8.8.0 with no"
          + " gate | tellonce p50 / p99, requests/s | HAPI p50 / p99, requests/s | throughput, tellonce ÷ HAPI"
          + " | p99, tellonce ÷ HAPI |\n|---|---|---|---|---|\n");
      for (String measure : MEASURES) {
        String ours = "leased." + measure;
        String theirs = PEER + "." + measure;
        out.append("| %s | %s / %s ms, %.0f/s | %s / %s ms, %.0f/s | %.2f× | %.2f× |%n".formatted(
            figures.getProperty(theirs + ".name"),
            millis(ours + ".p50"), millis(ours + ".p99"), rate(ours),
            millis(theirs + ".p50"), millis(theirs + ".p99"), rate(theirs),
            rate(ours) / rate(theirs), figure(ours + ".p99") / figure(theirs + ".p99")));
      }
      out.append(row("HAPI FHIR JPA: the same person's 500 Observations and 500 Provenance in transaction Bundles"
          + " of 200 (HAPI validates nothing by default; tellonce validates each against the profiles)",
          figures.getProperty(PEER + ".write")));
    }
    if (figures.containsKey("vs.tellonce.read1.name")) {
      out.append("\n| side by side, alternately (" + alternateRounds + " rounds each, tellonce-HAPI then HAPI-tellonce,"
          + " both running; " + figures.getProperty("vs.clock") + "): tellonce with its gate (answers leased), HAPI FHIR"
          + " JPA with none | tellonce p50 / p99, requests/s | HAPI p50 / p99, requests/s | throughput, tellonce ÷ HAPI:"
          + " all rounds · the median round's | p99, tellonce ÷ HAPI: all rounds · the median round's |\n"
          + "|---|---|---|---|---|\n");
      for (Alternated m : alternated()) {
        String ours = "vs.tellonce." + m.key();
        String theirs = "vs." + PEER + "." + m.key();
        out.append("| %s | %s / %s ms, %.0f/s | %s / %s ms, %.0f/s | %.2f× · %.2f× | %.2f× · %.2f× |%n".formatted(
            m.name(), millis(ours + ".p50"), millis(ours + ".p99"), rate(ours), millis(theirs + ".p50"),
            millis(theirs + ".p99"), rate(theirs), rate(ours) / rate(theirs), figure("vs." + m.key() + ".median"),
            figure(ours + ".p99") / figure(theirs + ".p99"), figure("vs." + m.key() + ".p99.median")));
      }
    }
    interleavedTable("vsmix", "tellonce", PEER, "side by side request by request (each client's requests to tellonce"
        + " and HAPI in turn, both running; " + figures.getProperty("vs.clock") + ") | tellonce with its gate: mean / p50"
        + " / p99 | HAPI FHIR JPA, no gate | latency, 1 − HAPI's ÷ tellonce's (negative: tellonce faster)");
    out.append("\n").append(figures.getProperty("council", ""));
    Files.createDirectories(report.getParent());
    Files.writeString(report, out.toString());
    System.out.print(out);
  }

  static final List<String> MEASURES = List.of("read1", "search1", "read4", "search4", "everything");

  /** The table of an {@link #interleave}d measure, when it was taken: each side's mean, p50 and p99, and the cost. */
  void interleavedTable(String prefix, String a, String b, String heading) {
    if (!figures.containsKey(prefix + "." + a + ".read1.mean")) {
      return;
    }
    out.append("\n| " + heading + " |\n|---|---|---|---|\n");
    for (String measure : List.of("read1", "search1", "read4", "search4")) {
      String first = prefix + "." + a + "." + measure;
      String second = prefix + "." + b + "." + measure;
      if (figures.containsKey(first + ".mean")) {
        out.append("| %s | %.2f / %.2f / %s ms | %.2f / %.2f / %s ms | %.1f %% by the mean, %.1f %% by p50 |%n"
            .formatted(figures.getProperty(first + ".name"), figure(first + ".mean") / 1e6, figure(first + ".p50"),
                millis(first + ".p99"), figure(second + ".mean") / 1e6, figure(second + ".p50"),
                millis(second + ".p99"), 100 * (1 - figure(prefix + "." + measure + ".ratio")),
                100 * (1 - figure(second + ".p50") / figure(first + ".p50"))));
      }
    }
  }

  /** A number kept in the figures. */
  double figure(String key) {
    return Double.parseDouble(figures.getProperty(key));
  }

  String millis(String key) {
    return "%.1f".formatted(figure(key));
  }

  double rate(String key) {
    return figure(key + ".rate");
  }

  /** Keeps one measure's figures for the report. */
  void record(String key, String name, long[] latencies, double perSecond) {
    long[] sorted = BenchSupport.sorted(latencies);
    figures.setProperty(key + ".name", name);
    figures.setProperty(key + ".latency", BenchSupport.millis(latencies));
    figures.setProperty(key + ".p50", String.valueOf(BenchSupport.percentile(sorted, 50)));
    figures.setProperty(key + ".p99", String.valueOf(BenchSupport.percentile(sorted, 99)));
    figures.setProperty(key + ".rate", String.valueOf(perSecond));
    System.out.printf("%s: %s, %.0f/s%n", key, figures.getProperty(key + ".latency"), perSecond);
  }

  /**
   * Council events end to end: published to council.inbound.v1 until all are stored as EpisodeOfCare. A warm-up run
   * that is not recorded ({@code bench.council-warm-up} events, 10,000 by default) goes first, as the reads are warmed
   * before they are measured: the first events a freshly started service takes in are compiled as they go (a cold run
   * measured a third of the warm rate).
   */
  void council() throws Exception {
    Ingestion warmUp = councilRun(Integer.getInteger("bench.council-warm-up", 10000));
    System.out.printf("council warm-up: %d stored in %.1f s, %.0f events/s%n", warmUp.stored(), warmUp.seconds(),
        warmUp.rate());
    Ingestion measured = councilRun(councilEvents);
    System.out.printf("council: %d stored in %.1f s (published in %.1f s), %.0f events/s%n", measured.stored(),
        measured.seconds(), measured.published(), measured.rate());
    figures.setProperty("council", row("council events end to end (" + councilEvents + " care packages for 1,000 people: Kafka → mapped,"
        + " stored with version, index, Provenance and record.v1 event; after a warm-up of " + warmUp.events()
        + " not counted, which ran at %.0f events/s)".formatted(warmUp.rate()),
        "%d stored in %.1f s (published in %.1f s): %.0f events/s".formatted(measured.stored(), measured.seconds(),
            measured.published(), measured.rate())));
  }

  /** One run of council events: how many were published, how many stored, in how long. */
  record Ingestion(int events, long stored, double seconds, double published) {
    double rate() {
      return stored / seconds;
    }
  }

  /** Publishes the events (care packages for 1,000 people) and waits until every one is stored, or 15 minutes. */
  Ingestion councilRun(int events) throws Exception {
    String run = "BENCH-" + UUID.randomUUID().toString().substring(0, 8);
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    long start = System.nanoTime();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
      for (int i = 0; i < events; i++) {
        ProducerRecord<String, String> event = new ProducerRecord<>(
            System.getProperty("bench.topic-prefix", "tellonce.") + "council.inbound.v1",
            run.toLowerCase() + "-person-" + (i % 1000), """
                {"packageId":"%s-%d","service":"Home care","started":"2026-03-01"}""".formatted(run, i));
        event.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        event.headers().add("ce_id", (run + "-" + i).getBytes(StandardCharsets.UTF_8));
        event.headers().add("ce_type", "org.tellonce.council.care-package.started.v1".getBytes(StandardCharsets.UTF_8));
        event.headers().add("ce_source", "LA001".getBytes(StandardCharsets.UTF_8));
        producer.send(event);
      }
    }
    double published = (System.nanoTime() - start) / 1e9;
    long stored = 0;
    long deadline = System.currentTimeMillis() + 900_000;
    try (Connection db = DriverManager.getConnection(postgres + "care_record", "postgres", "")) {
      while (stored < events && System.currentTimeMillis() < deadline) {
        Thread.sleep(500);
        try (ResultSet rows = db.createStatement().executeQuery("select count(*) from record_index where param ="
            + " 'identifier' and code like '" + run + "-%'")) {
          rows.next();
          stored = rows.getLong(1);
        }
      }
    }
    return new Ingestion(events, stored, (System.nanoTime() - start) / 1e9, published);
  }

  /**
   * The gate's cost, measured alternately in one process: care-record in its per-request benchmark setting (started by
   * deploy/bench.sh with the bench profile) serves the requests without {@link #GATE_HEADER} through the gate as
   * shipped (answers leased) and those with it without a consent decision; the two kinds take turns at the same
   * requests ({@link #alternate}), on the same compiled code, heap, connections and audit chain. Measured one after
   * the other on freshly restarted services, runs of the same configuration differed by 10-20 %; measured against a
   * replica with the gate off (until 2026-12-07, late evening), the two processes differed in what the gate does not decide: which
   * of them took the audit events of the reads (one partition, one consumer) and how far each had compiled its code.
   */
  void gateCost() throws Exception {
    List<Side> sides = gateSides();
    for (Side side : List.of(sides.get(1), sides.get(0))) {
      warmUpReads(side);
    }
    figures.setProperty("ab.clock", clock(ZonedDateTime.now(MONITOR_ZONE)));
    alternate("ab", sides.get(0), sides.get(1));
    interleave("mix", sides.get(0), sides.get(1));
  }

  /** The request-by-request part of {@link #gateCost} alone, on a care-record already warmed (ad hoc). */
  void gateInterleaved() throws Exception {
    List<Side> sides = gateSides();
    interleave("mix", sides.get(0), sides.get(1));
  }

  /** The gate on and off in one care-record, once it is readable and its switch checked. */
  List<Side> gateSides() throws Exception {
    nurse = BenchSupport.userToken(keycloak, "nurse.mht");
    List<String> ids = List.of(figures.getProperty("ids").split(","));
    String search = patientSearch(figures.getProperty("person"));
    Side on = new Side("on", record, ids, search, Map.of());
    Side off = new Side("off", record, ids, search, Map.of(GATE_HEADER, "off"));
    awaitReadable(record, ids.get(0));
    checkGateSwitch(on, off);
    return List.of(on, off);
  }

  /**
   * Two sides of one server, request by request: each client's requests go to either side in turn (half the clients
   * start with a, half with b), {@code bench.alternate-rounds} / 2 turns' worth of each measure per side, so that whatever
   * the machine does in a second falls on both alike (rounds of seconds each differed by up to a third here, in both
   * directions). Kept under {@code prefix}: each side's latencies, its share of the requests served a second, and its
   * mean, from which the cost follows: a client waiting for each answer before it asks again sends requests at the
   * inverse of the mean. What the gate does in the background (renewing leased answers: a few questions a second)
   * falls on both sides here; it is counted by the consent client's metrics.
   */
  void interleave(String prefix, Side a, Side b) throws Exception {
    for (Alternated m : alternated()) {
      int count = m.count() * Math.max(1, alternateRounds / 2) * 2;
      long[] taken = new long[count];
      long start = System.nanoTime();
      IntFunction<Side> sideOf = i -> (i / m.clients() + i % m.clients()) % 2 == 0 ? a : b;
      run(m.clients(), count, taken, i -> {
        Side side = sideOf.apply(i);
        return m.byId() ? side.base() + "/" + side.ids().get(i / 2 % side.ids().size()) : side.base() + side.search();
      }, i -> sideOf.apply(i).headers());
      double seconds = (System.nanoTime() - start) / 1e9;
      Map<Side, Double> means = new HashMap<>();
      for (Side side : List.of(a, b)) {
        long[] own = IntStream.range(0, count).filter(i -> sideOf.apply(i) == side).mapToLong(i -> taken[i]).toArray();
        String key = prefix + "." + side.name() + "." + m.key();
        record(key, m.name(), own, own.length / seconds);
        means.put(side, LongStream.of(own).average().orElseThrow());
        figures.setProperty(key + ".mean", String.valueOf(means.get(side)));
      }
      double ratio = means.get(b) / means.get(a);
      figures.setProperty(prefix + "." + m.key() + ".ratio", String.valueOf(ratio));
      System.out.printf("%s, %s: request by request, mean %s ÷ %s %.3f%n", prefix, m.name(), b.name(), a.name(),
          ratio);
    }
  }

  /**
   * That the service heeds the switch, and only where asked: a read with the header is audited as decided for the
   * benchmark, one without as decided by the consent service (the latest audit entries, read from the database).
   */
  void checkGateSwitch(Side on, Side off) throws Exception {
    for (Side side : List.of(off, on)) {
      int code = status("GET", side.base() + "/" + side.ids().get(0), side.headers());
      if (code != 200) {
        throw new IllegalStateException("gate " + side.name() + ": HTTP " + code);
      }
      String outcome;
      try (Connection db = DriverManager.getConnection(postgres + "care_record", "postgres", "");
          ResultSet last = db.createStatement().executeQuery(
              "select resource::jsonb ->> 'outcomeDesc' from audit_event order by position desc limit 1")) {
        outcome = last.next() ? last.getString(1) : "";
      }
      boolean benchmark = outcome.contains("benchmark");
      if (benchmark != (side == off)) {
        throw new IllegalStateException("care-record does not switch its gate per request (gate " + side.name()
            + " audited as: " + outcome + "); start it with QUARKUS_PROFILE=prod,bench and"
            + " TELLONCE_ACCESS_GATE=per-request-for-benchmark");
      }
    }
  }

  /**
   * tellonce (its gate on, answers leased, as shipped) and HAPI FHIR's JPA server, both running and warmed by the
   * phases before (the reads and the peer's), take turns at the same measures ({@link #alternate}): the machine's
   * speed, which varied by half within an hour here, falls on both alike, where the one-run table compares measures
   * taken minutes apart. Then request by request ({@link #interleave}); {@code alternately} false takes only that.
   */
  void sideBySide(boolean alternately) throws Exception {
    nurse = BenchSupport.userToken(keycloak, "nurse.mht");
    Side tellonce = new Side("tellonce", record, List.of(figures.getProperty("ids").split(",")),
        patientSearch(figures.getProperty("person")), Map.of());
    Side hapi = new Side(PEER, peer, List.of(figures.getProperty(PEER + ".ids").split(",")),
        figures.getProperty(PEER + ".search"), Map.of());
    awaitReadable(tellonce.base(), tellonce.ids().get(0));
    figures.setProperty("vs.clock", clock(ZonedDateTime.now(MONITOR_ZONE)));
    if (alternately) {
      alternate("vs", tellonce, hapi);
    }
    interleave("vsmix", tellonce, hapi);
  }

  /**
   * One side of an alternating measure: its name in the figures, its server's base, the resources read, its search,
   * and the headers its requests carry besides the token.
   */
  record Side(String name, String base, List<String> ids, String search, Map<String, String> headers) {}

  /** A measure taken alternately: reads by id or patient searches, from so many clients, so many requests a turn. */
  record Alternated(String key, String name, int clients, int count, boolean byId) {}

  List<Alternated> alternated() {
    return List.of(new Alternated("read1", "read by id, 1 client", 1, reads * 2, true),
        new Alternated("search1", "patient search (_count=20, code), 1 client", 1, reads / 2, false),
        new Alternated("read4", "read by id, 4 clients", 4, reads * 4, true),
        new Alternated("search4", "patient search (_count=20, code), 4 clients", 4, reads, false));
  }

  /**
   * Two servers take turns at the same requests, {@code bench.alternate-rounds} rounds of each measure in the order
   * a-b, b-a, a-b, ... (so that drift over the run — the store growing, the JIT, the machine's other work — falls on
   * both alike). Kept under {@code prefix}: each side's figures pooled over its turns, and by round the ratio of a's
   * throughput to b's and of a's p99 to b's, with their medians, which one slow round cannot move.
   */
  void alternate(String prefix, Side a, Side b) throws Exception {
    for (Alternated m : alternated()) {
      Map<String, List<long[]>> latencies = Map.of(a.name(), new ArrayList<>(), b.name(), new ArrayList<>());
      Map<String, Double> seconds = new HashMap<>();
      List<Double> rates = new ArrayList<>();
      List<Double> tails = new ArrayList<>();
      for (int round = 0; round < alternateRounds; round++) {
        Map<String, double[]> turn = new HashMap<>();
        for (Side side : round % 2 == 0 ? List.of(a, b) : List.of(b, a)) {
          long[] taken = new long[m.count()];
          long start = System.nanoTime();
          run(m.clients(), m.count(), taken, m.byId() ? i -> side.base() + "/" + side.ids().get(i % side.ids().size())
              : i -> side.base() + side.search(), side.headers());
          double elapsed = (System.nanoTime() - start) / 1e9;
          seconds.merge(side.name(), elapsed, Double::sum);
          latencies.get(side.name()).add(taken);
          turn.put(side.name(), new double[] {m.count() / elapsed,
              BenchSupport.percentile(BenchSupport.sorted(taken), 99)});
        }
        rates.add(turn.get(a.name())[0] / turn.get(b.name())[0]);
        tails.add(turn.get(a.name())[1] / turn.get(b.name())[1]);
      }
      for (Side side : List.of(a, b)) {
        long[] all = latencies.get(side.name()).stream().flatMapToLong(LongStream::of).toArray();
        record(prefix + "." + side.name() + "." + m.key(), m.name(), all, all.length / seconds.get(side.name()));
      }
      keepRatios(prefix + "." + m.key(), rates);
      keepRatios(prefix + "." + m.key() + ".p99", tails);
      System.out.printf("%s, %s: %s ÷ %s throughput %.3f pooled, %.3f by the median round; p99 %.3f pooled, %.3f by"
              + " the median round%n", prefix, m.name(), a.name(), b.name(),
          rate(prefix + "." + a.name() + "." + m.key()) / rate(prefix + "." + b.name() + "." + m.key()),
          figure(prefix + "." + m.key() + ".median"),
          figure(prefix + "." + a.name() + "." + m.key() + ".p99") / figure(prefix + "." + b.name() + "." + m.key()
              + ".p99"), figure(prefix + "." + m.key() + ".p99.median"));
    }
  }

  /** Keeps the rounds' ratios (lowest first) and their median under {@code key}. */
  void keepRatios(String key, List<Double> ratios) {
    ratios.sort(null);
    int n = ratios.size();
    figures.setProperty(key + ".median", String.valueOf(n % 2 == 1 ? ratios.get(n / 2)
        : (ratios.get(n / 2 - 1) + ratios.get(n / 2)) / 2));
    figures.setProperty(key + ".ratios", ratios.stream().map(r -> "%.3f".formatted(r))
        .reduce((x, y) -> x + "," + y).orElse(""));
  }

  interface Url {
    String of(int i);
  }

  /** Reads by id and searches from 1 and 4 clients, unrecorded, round after round until their rate settles. */
  void warmUpReads(String base, List<String> ids, String search) throws Exception {
    warmUpReads(new Side("warm-up", base, ids, search, Map.of()));
  }

  void warmUpReads(Side side) throws Exception {
    warmUp(() -> {
      double reads4 = 0;
      for (int clients : new int[] {1, 4}) {
        reads4 = measure(null, null, clients, warmUp, i -> side.base() + "/" + side.ids().get(i % side.ids().size()),
            side.headers());
        measure(null, null, clients, warmUp / 2, i -> side.base() + side.search(), side.headers());
      }
      return reads4;
    });
  }

  /** One round of warm-up requests; answers the rate it ran at. */
  interface WarmUpRound {
    double run() throws Exception;
  }

  /**
   * Runs the requests unrecorded, round after round, until a round runs within 5 % of the rate of the one before
   * (at most {@code bench.record-warm-up-rounds}), so that what is measured is the warmed server. One round was not
   * enough: on 2026-12-06 the same measures taken again on the same service ran a third faster, the JIT still
   * compiling after the first.
   */
  void warmUp(WarmUpRound round) throws Exception {
    long t = System.nanoTime();
    double previous = 0;
    for (int n = 1; n <= warmUpRounds; n++) {
      double rate = round.run();
      System.out.printf("warm-up round %d: %.0f/s%n", n, rate);
      if (previous > 0 && Math.abs(rate - previous) <= 0.05 * previous) {
        break;
      }
      previous = rate;
    }
    System.out.printf("warm-up: %.1f s%n", (System.nanoTime() - t) / 1e9);
  }

  /**
   * Times {@code count} GETs from {@code clients} threads and answers their rate; a null key only warms up (nothing
   * is kept).
   */
  double measure(String key, String name, int clients, int count, Url url) throws Exception {
    return measure(key, name, clients, count, url, Map.of());
  }

  /** As above, every request with {@code headers} besides the token. */
  double measure(String key, String name, int clients, int count, Url url, Map<String, String> headers)
      throws Exception {
    long[] latencies = new long[count];
    long start = System.nanoTime();
    run(clients, count, latencies, url, headers);
    double seconds = (System.nanoTime() - start) / 1e9;
    if (key != null) {
      record(key, name, latencies, count / seconds);
    }
    return count / seconds;
  }

  /** {@code count} GETs from {@code clients} clients, each sending its next when the last is answered (200 or fail). */
  void run(int clients, int count, long[] latencies, Url url) throws Exception {
    run(clients, count, latencies, url, Map.of());
  }

  void run(int clients, int count, long[] latencies, Url url, Map<String, String> headers) throws Exception {
    run(clients, count, latencies, url, i -> headers);
  }

  /** As above, each request with its own headers ({@code headers} of its index). */
  void run(int clients, int count, long[] latencies, Url url, IntFunction<Map<String, String>> headers)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<?>> futures = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      futures.add(pool.submit(() -> {
        for (int i = client; i < count; i += clients) {
          long t = System.nanoTime();
          String target = url.of(i);
          int code = status("GET", target, headers.apply(i));
          latencies[i] = System.nanoTime() - t;
          if (code != 200) {
            throw new IllegalStateException(target + ": HTTP " + code);
          }
        }
        return null;
      }));
    }
    try {
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  int status(String method, String url) throws Exception {
    return status(method, url, Map.of());
  }

  int status(String method, String url, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + nurse)
        .method(method, HttpRequest.BodyPublishers.noBody());
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  JsonNode send(String method, String url, String body, int expected) throws Exception {
    return BenchSupport.send(nurse, method, url, body, expected);
  }
}
