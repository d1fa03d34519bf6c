package org.tellonce.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.EventProbe;
import org.tellonce.testing.Tokens;

/**
 * Faults (make verify-faults; not in make test: it kills the stack's servers). While 100,000 council events flow into
 * the shared record and 10,000 FHIR writes are made through both care-record replicas, the Kafka broker is killed
 * (SIGKILL) and restarted, each service in turn is killed and restarted, and PostgreSQL is stopped for 30 s. Writers
 * behave as an integration should: a create carries its own identifier ({@code If-None-Exist}), and an attempt that
 * got no answer, or a 5xx, is sent again (to the other replica) until it is acknowledged. While consent is down,
 * care-record must refuse a read with 503 and serve it again by itself once consent is back.
 *
 * <p>Afterwards: every acknowledged write is stored exactly once under the id it was acknowledged with; every council
 * event has had its effect exactly once (processed once, its resource stored once, at version 1); every consumer group
 * has caught up; no dead-letter topic gained an event; every outbox is drained; the audit chain is intact; every
 * service and replica reports ready without anyone touching it. The last line reads "W writes acknowledged, E events
 * acknowledged, F faults: L lost, D duplicated, X dead-lettered, U undrained".
 */
class FaultsIT {

  static final JsonMapper JSON = JsonMapper.builder().build();
  static final int EVENTS = setting("TELLONCE_FAULT_EVENTS", 100_000);
  static final int WRITES = setting("TELLONCE_FAULT_WRITES", 10_000);
  /** Council events and writes per second: spread so that the load flows through the whole schedule of faults. */
  static final int EVENT_RATE = setting("TELLONCE_FAULT_EVENT_RATE", 200);
  static final int WRITE_RATE = setting("TELLONCE_FAULT_WRITE_RATE", 20);
  static final int WRITERS = 6;
  static final String SYSTEM = "https://tellonce.example/fault-suite";
  static final String POSTGRES = "jdbc:postgresql://127.0.0.1:"
      + System.getenv().getOrDefault("TELLONCE_POSTGRES_PORT", "15432") + "/";
  static final Path ROOT = Path.of(System.getProperty("tellonce.root", "../.."));
  static final Map<String, String> READY = Map.of(
      "identity", Services.IDENTITY, "consent", Services.CONSENT, "care-record", Services.CARE_RECORD,
      "referral", Services.REFERRAL, "consent-2", Services.CONSENT_REPLICA,
      "care-record-2", Services.CARE_RECORD_REPLICA, "referral-2", Services.REFERRAL_REPLICA,
      "identity-2", Services.IDENTITY_REPLICA);

  final String run = "F" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  final List<String> faults = Collections.synchronizedList(new ArrayList<>());
  final long began = System.nanoTime();
  /** Acknowledged writes: identifier value to the id the answer named. */
  final Map<String, String> acknowledged = new ConcurrentHashMap<>();
  final AtomicInteger writesSentAgain = new AtomicInteger();
  final AtomicLong eventsAcknowledged = new AtomicLong();
  final AtomicInteger eventsSentAgain = new AtomicInteger();
  volatile boolean stopping;

  static int setting(String variable, int fallback) {
    String value = System.getenv(variable);
    return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
  }

  @Test
  void acknowledgedWorkSurvivesCrashesAndOutages() throws Exception {
    List<String> persons = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String person = People.register("nurse.mht", "Fault" + i, "Fay", "1950-02-0" + (i + 1));
      People.careTeam("nurse.mht", person, "MHT01");
      persons.add(person);
    }
    // a resource nobody has read through care-record: its first read must ask consent (no answer is leased yet)
    String probePerson = People.register("nurse.mht", "Probe", "Fay", "1950-03-01");
    People.careTeam("nurse.mht", probePerson, "MHT01");
    String probe = People.allergy("nurse.mht", probePerson, "latex");
    long deadLettersBefore = deadLetters();

    ExecutorService load = Executors.newFixedThreadPool(WRITERS + 1);
    Future<?> council = load.submit(() -> publishCouncilEvents());
    AtomicInteger next = new AtomicInteger();
    List<Future<?>> writers = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      int writer = w;
      writers.add(load.submit(() -> write(writer, next, persons)));
    }
    try {
      injectFaults(probe);
      council.get(20, TimeUnit.MINUTES);
      for (Future<?> writer : writers) {
        writer.get(20, TimeUnit.MINUTES);
      }
    } finally {
      stopping = true;
      load.shutdownNow();
    }
    log("load done: %d writes acknowledged (%d sent again), %d events acknowledged (%d sent again)",
        acknowledged.size(), writesSentAgain.get(), eventsAcknowledged.get(), eventsSentAgain.get());

    awaitReady();
    Counts counts = awaitEffects();
    long deadLettered = deadLetters() - deadLettersBefore;
    if (deadLettered != 0) {
      violations.add(deadLettered + " events went to a dead-letter topic");
    }
    JsonNode audit = JSON.readTree(given().auth().oauth2(Tokens.user("caldicott.mht")).baseUri(Services.CARE_RECORD)
        .get("/audit/verification").then().statusCode(200).extract().asString());
    if (!audit.path("intact").asBoolean()) {
      violations.add("the audit chain is broken: " + audit);
    }

    faults.forEach(System.out::println);
    violations.stream().limit(50).forEach(v -> System.out.println("VIOLATION " + v));
    System.out.printf("%d writes acknowledged, %d events acknowledged, %d faults: %d lost, %d duplicated,"
            + " %d dead-lettered, %d undrained%n", acknowledged.size(), eventsAcknowledged.get(), faults.size(),
        counts.lost(), counts.duplicated(), deadLettered, counts.undrained());
    assertThat(acknowledged).as("writes acknowledged").hasSize(WRITES);
    assertThat(eventsAcknowledged.get()).as("events acknowledged by Kafka").isEqualTo(EVENTS);
    assertThat(faults).as("faults injected").hasSizeGreaterThanOrEqualTo(6);
    assertThat(violations).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------------- the load

  /** Council care packages, EVENT_RATE a second, to 1,000 people; a send Kafka did not acknowledge is sent again. */
  void publishCouncilEvents() {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, EventProbe.bootstrapServers());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "30000");
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "120000");
    String topic = Services.TOPIC_PREFIX + "council.inbound.v1";
    ConcurrentLinkedQueue<Integer> failed = new ConcurrentLinkedQueue<>();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
      long interval = 1_000_000_000L / EVENT_RATE;
      long start = System.nanoTime();
      for (int i = 0; i < EVENTS && !stopping; i++) {
        pace(start + i * interval);
        send(producer, topic, i, failed);
      }
      producer.flush();
      for (int round = 0; !failed.isEmpty() && round < 20 && !stopping; round++) {
        List<Integer> again = new ArrayList<>(failed);
        failed.clear();
        eventsSentAgain.addAndGet(again.size());
        again.forEach(i -> send(producer, topic, i, failed));
        producer.flush();
      }
    }
  }

  void send(KafkaProducer<String, String> producer, String topic, int i, ConcurrentLinkedQueue<Integer> failed) {
    ProducerRecord<String, String> event = new ProducerRecord<>(topic, run.toLowerCase() + "-person-" + (i % 1000),
        """
        {"packageId":"%s-c-%d","service":"Home care","started":"2026-03-01"}""".formatted(run, i));
    event.headers().add("ce_specversion", bytes("1.0"));
    event.headers().add("ce_id", bytes(run + "-c-" + i));
    event.headers().add("ce_type", bytes("org.tellonce.council.care-package.started.v1"));
    event.headers().add("ce_source", bytes("LA001"));
    try {
      producer.send(event, (metadata, failure) -> {
        if (failure == null) {
          eventsAcknowledged.incrementAndGet();
        } else {
          failed.add(i);
        }
      });
    } catch (RuntimeException e) {
      failed.add(i);
    }
  }

  /** Observations with the writer's own identifier, WRITE_RATE a second across the writers, sent until acknowledged. */
  void write(int writer, AtomicInteger next, List<String> persons) {
    long interval = 1_000_000_000L / WRITE_RATE;
    long start = System.nanoTime();
    String[] replicas = {Services.CARE_RECORD, Services.CARE_RECORD_REPLICA};
    int replica = writer % 2;
    for (int i = next.getAndIncrement(); i < WRITES && !stopping; i = next.getAndIncrement()) {
      pace(start + i * interval);
      String identifier = run + "-w-" + i;
      String body = """
          {"resourceType":"Observation","identifier":[{"system":"%s","value":"%s"}],"status":"final",
           "code":{"text":"Weight"},"subject":{"reference":"Patient/%s"},
           "valueQuantity":{"value":%d,"unit":"kg","system":"http://unitsofmeasure.org","code":"kg"}}
          """.formatted(SYSTEM, identifier, persons.get(i % persons.size()), 50 + i % 50);
      for (int attempt = 0; !stopping; attempt++) {
        if (attempt > 0) {
          writesSentAgain.incrementAndGet();
          replica = 1 - replica;
          sleep(Math.min(5000, 100L << Math.min(attempt, 6)));
        }
        HttpResponse<String> answer;
        try {
          answer = http.send(HttpRequest.newBuilder(URI.create(replicas[replica] + "/fhir/Observation"))
              .timeout(Duration.ofSeconds(30))
              .header("Authorization", "Bearer " + Tokens.user("nurse.mht"))
              .header("Content-Type", "application/fhir+json")
              .header("If-None-Exist", "identifier=" + SYSTEM + "|" + identifier)
              .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
          continue; // no answer: the write may or may not have landed; the identifier makes sending it again safe
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        int status = answer.statusCode();
        if (status == 200 || status == 201) {
          try {
            acknowledged.put(identifier, JSON.readTree(answer.body()).path("id").asText());
          } catch (IOException e) {
            violations.add("write " + identifier + " acknowledged " + status + " with an unreadable body");
          }
          break;
        }
        if (status < 500) {
          violations.add("write " + identifier + " refused " + status + " (a fault is not the caller's mistake): "
              + answer.body().substring(0, Math.min(300, answer.body().length())));
          break;
        }
        if (!answer.body().contains("OperationOutcome")) {
          violations.add("write " + identifier + " answered " + status + " without an OperationOutcome");
        }
        if (status != 503) {
          violations.add("write " + identifier + " answered " + status + " (a fault must read 503, try again)");
        }
      }
    }
  }

  // -------------------------------------------------------------------------------------------------- the faults

  /** The schedule: Kafka, then each service in turn, then PostgreSQL; each recovered before the next. */
  void injectFaults(String probe) throws Exception {
    sleep(20_000);
    stack("kill", "kafka");
    fault("Kafka broker killed (SIGKILL), restarted after 10 s");
    sleep(10_000);
    stack("start", "kafka");
    log("Kafka back");
    for (String service : List.of("identity", "consent", "care-record", "referral")) {
      sleep(15_000);
      stack("kill", service);
      fault(service + " killed (SIGKILL), restarted");
      if (service.equals("consent")) {
        failsClosed(probe);
      }
      stack("start", service);
      log("%s back", service);
      if (service.equals("consent")) {
        recovers(probe);
      }
    }
    sleep(15_000);
    stack("stop", "postgres");
    fault("PostgreSQL stopped for 30 s");
    sleep(30_000);
    stack("start", "postgres");
    log("PostgreSQL back");
  }

  /** With consent down, care-record refuses a read it has no answer for: 503 and an OperationOutcome. */
  void failsClosed(String probe) throws Exception {
    HttpResponse<String> answer = readProbe(probe);
    if (answer == null || answer.statusCode() != 503 || !answer.body().contains("OperationOutcome")) {
      violations.add("with consent down, a read answered " + (answer == null ? "nothing" : answer.statusCode() + " "
          + answer.body()) + " (expected 503, fail closed)");
    } else {
      fault("consent down: care-record refused an unread resource with 503");
    }
  }

  /** Once consent is back, care-record serves the read again by itself (nobody restarts it). */
  void recovers(String probe) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      HttpResponse<String> answer = readProbe(probe);
      if (answer != null && answer.statusCode() == 200) {
        log("care-record reads again after consent's restart");
        return;
      }
      sleep(500);
    }
    violations.add("care-record did not read again within 60 s of consent's return");
  }

  HttpResponse<String> readProbe(String probe) throws InterruptedException {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(Services.CARE_RECORD + "/fhir/AllergyIntolerance/" + probe))
          .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + Tokens.user("nurse.mht")).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    }
  }

  void stack(String command, String component) throws Exception {
    Path log = Path.of("target", "faults", command + "-" + component + ".log");
    Files.createDirectories(log.getParent());
    ProcessBuilder builder = new ProcessBuilder("bash", ROOT.resolve("deploy/stack.sh").toString(), command, component)
        .directory(ROOT.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    // a service starts while the others work through the backlog its absence left: give it the time that takes
    builder.environment().put("TELLONCE_READY_TIMEOUT", "300");
    Process process = builder.start();
    if (!process.waitFor(6, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new AssertionError("deploy/stack.sh " + command + " " + component + " failed: " + Files.readString(log));
    }
  }

  // --------------------------------------------------------------------------------------------------- afterwards

  void awaitReady() throws Exception {
    for (Map.Entry<String, String> service : new TreeMap<>(READY).entrySet()) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      int status = 0;
      while (System.nanoTime() < deadline && status != 200) {
        try {
          status = http.send(HttpRequest.newBuilder(URI.create(service.getValue() + "/q/health/ready"))
              .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
          status = 0;
        }
        if (status != 200) {
          sleep(1000);
        }
      }
      if (status != 200) {
        violations.add(service.getKey() + " not ready 3 minutes after the last fault (" + status + ")");
      }
    }
  }

  record Counts(long lost, long duplicated, long undrained) {}

  /** Waits (at most 15 minutes) until the effects are all in, consumers have caught up and outboxes are drained. */
  Counts awaitEffects() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
    Counts counts;
    String late;
    do {
      sleep(5000);
      counts = count(false);
      late = lagging();
      log("afterwards: %d missing, %d duplicated, %d undrained, lagging: %s", counts.lost(), counts.duplicated(),
          counts.undrained(), late.isEmpty() ? "none" : late);
    } while ((counts.lost() > 0 || counts.undrained() > 0 || !late.isEmpty()) && System.nanoTime() < deadline);
    counts = count(true);
    if (!late.isEmpty()) {
      violations.add("consumer groups still behind: " + late);
    }
    if (counts.undrained() > 0) {
      violations.add(counts.undrained() + " outbox events never sent");
    }
    return counts;
  }

  Counts count(boolean report) throws Exception {
    long lost = 0;
    long duplicated = 0;
    long undrained = 0;
    try (Connection db = DriverManager.getConnection(POSTGRES + "care_record", "postgres", "")) {
      // the writes: each acknowledged identifier once, under the acknowledged id, at version 1
      Map<String, List<String>> stored = new TreeMap<>();
      try (ResultSet rows = db.createStatement().executeQuery("select i.code, r.id, r.version from record_index i"
          + " join record_resource r on r.resource_type = i.resource_type and r.id = i.id where i.param ="
          + " 'identifier' and i.resource_type = 'Observation' and i.code like '" + run + "-w-%'")) {
        while (rows.next()) {
          stored.computeIfAbsent(rows.getString(1), k -> new ArrayList<>()).add(rows.getString(2));
          if (report && rows.getInt(3) != 1) {
            violations.add("write " + rows.getString(1) + " stored at version " + rows.getInt(3) + ", not 1");
          }
        }
      }
      for (Map.Entry<String, String> write : acknowledged.entrySet()) {
        List<String> ids = stored.getOrDefault(write.getKey(), List.of());
        if (ids.isEmpty()) {
          lost++;
          if (report) {
            violations.add("acknowledged write " + write.getKey() + " (" + write.getValue() + ") is not stored");
          }
        } else if (ids.size() > 1) {
          duplicated += ids.size() - 1;
          if (report) {
            violations.add("write " + write.getKey() + " stored " + ids.size() + " times: " + ids);
          }
        } else if (report && !ids.get(0).equals(write.getValue())) {
          violations.add("write " + write.getKey() + " acknowledged as " + write.getValue() + ", stored as "
              + ids.get(0));
        }
      }
      // the council events: each processed once, its care package stored once, never updated by a replay
      try (ResultSet rows = db.createStatement().executeQuery("select count(*), count(distinct i.code),"
          + " coalesce(max(r.version), 0) from record_index i join record_resource r on r.resource_type ="
          + " i.resource_type and r.id = i.id where i.param = 'identifier' and i.code like '" + run + "-c-%'")) {
        rows.next();
        long resources = rows.getLong(1);
        long distinct = rows.getLong(2);
        lost += eventsAcknowledged.get() - distinct;
        duplicated += resources - distinct;
        if (report && rows.getInt(3) > 1) {
          violations.add("a council event's care package reached version " + rows.getInt(3) + ": applied twice");
        }
      }
      try (ResultSet rows = db.createStatement().executeQuery("select count(*) from processed_event where consumer ="
          + " 'care-record.council-inbound' and event_id like '" + run + "-c-%'")) {
        rows.next();
        if (report && rows.getLong(1) != eventsAcknowledged.get()) {
          violations.add(rows.getLong(1) + " council events marked processed, " + eventsAcknowledged.get()
              + " acknowledged by Kafka");
        }
      }
    }
    for (String database : List.of("identity", "consent", "care_record", "referral")) {
      try (Connection db = DriverManager.getConnection(POSTGRES + database, "postgres", "");
          ResultSet rows = db.createStatement().executeQuery("select count(*) from outbox where sent_at is null")) {
        rows.next();
        undrained += rows.getLong(1);
      }
    }
    if (report && lost > 0) {
      violations.add(lost + " acknowledged writes or events without their effect");
    }
    if (report && duplicated > 0) {
      violations.add(duplicated + " effects stored twice");
    }
    return new Counts(lost, duplicated, undrained);
  }

  /** The tellonce consumer groups still behind the end of a topic they read, with how far. */
  String lagging() throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        EventProbe.bootstrapServers()))) {
      List<String> late = new ArrayList<>();
      // the groups of the running services (a group without members, left by an earlier test run, is not theirs)
      List<String> groups = admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS).stream()
          .map(ConsumerGroupListing::groupId).filter(id -> id.startsWith("tellonce-")).toList();
      List<String> live = admin.describeConsumerGroups(groups).all().get(30, TimeUnit.SECONDS).values().stream()
          .filter(group -> !group.members().isEmpty()).map(group -> group.groupId()).sorted().toList();
      for (String group : live) {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = committed.keySet().stream()
            .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
        var ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
        // only the topics of the running stack (the services' own tests use other topics under the same groups)
        long lag = committed.entrySet().stream().filter(e -> e.getValue() != null)
            .filter(e -> e.getKey().topic().startsWith(Services.TOPIC_PREFIX))
            .mapToLong(e -> ends.get(e.getKey()).offset() - e.getValue().offset()).sum();
        if (lag > 0) {
          late.add(group + " " + lag);
        }
      }
      return String.join(", ", late);
    }
  }

  /** Events in the dead-letter topics (the sum of their partitions' end offsets). */
  static long deadLetters() throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        EventProbe.bootstrapServers()))) {
      Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
          .filter(t -> t.startsWith(Services.TOPIC_PREFIX) && t.endsWith(".dlq")).collect(Collectors.toSet());
      Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
      admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).forEach((topic, description) ->
          description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()),
              OffsetSpec.latest())));
      return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
          .mapToLong(info -> info.offset()).sum();
    }
  }

  // ------------------------------------------------------------------------------------------------------- helpers

  void fault(String what) {
    faults.add(String.format("%6.1f s  %s", (System.nanoTime() - began) / 1e9, what));
    log("FAULT %s", what);
  }

  void log(String format, Object... args) {
    System.out.printf("%6.1f s  %s%n", (System.nanoTime() - began) / 1e9, String.format(format, args));
  }

  static void pace(long until) {
    long wait = until - System.nanoTime();
    if (wait > 0) {
      sleep(TimeUnit.NANOSECONDS.toMillis(wait));
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
