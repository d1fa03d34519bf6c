package org.tellonce.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.tellonce.platform.fhir.FhirException;

/**
 * The four services under a steady load at once, for {@code bench.minutes} (10): each gets {@code bench.rate}
 * requests a second (open loop: a request is sent on schedule whether or not the earlier ones were answered, and its
 * latency counts from when it was due, so a stall shows in the tail instead of slowing the load). identity: reads of
 * a Patient and searches by NHS number; consent: decisions on batches of 10 items; care-record: gated reads by id and
 * patient searches; referral: reads of a referral by its receiving team. Every 10 s the resident memory of each
 * service's process is sampled (/proc). Report: requests answered, shed at the door (503 with Retry-After: 1) and
 * failed; p50/p99/p99.9 of those answered; resident memory over the run.
 */
public final class SteadyLoad {

  static final String ODS = "https://fhir.nhs.uk/Id/ods-organization-code";
  static final int PEOPLE = 40;

  final String keycloak = System.getProperty("bench.keycloak", "http://127.0.0.1:18080");
  final Map<String, String> urls = Map.of(
      "identity", System.getProperty("bench.identity", "http://127.0.0.1:8081"),
      "consent", System.getProperty("bench.consent", "http://127.0.0.1:8082"),
      "care-record", System.getProperty("bench.care-record", "http://127.0.0.1:8083"),
      "referral", System.getProperty("bench.referral", "http://127.0.0.1:8084"));
  final int minutes = Integer.getInteger("bench.minutes", 10);
  final int rate = Integer.getInteger("bench.rate", 40);
  final Path run = Path.of(System.getProperty("bench.run", ".tellonce/run"));
  final Path report = Path.of(System.getProperty("bench.report", "steady-load.md"));

  /** One service's load: what to send next, and what came back. */
  static final class Load {
    final String service;
    final Supplier<HttpRequest> next;
    final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    /** Latencies of the requests answered with a success (the others are counted below). */
    final ConcurrentLinkedQueue<Long> answered = new ConcurrentLinkedQueue<>();
    /** Refused at the door because the service was busy: 503 with Retry-After: 1 (load shed, at once). */
    final AtomicLong shed = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong sent = new AtomicLong();
    final List<Long> residentKb = new ArrayList<>();
    volatile String firstError;

    Load(String service, Supplier<HttpRequest> next) {
      this.service = service;
      this.next = next;
    }
  }

  public static void main(String[] args) throws Exception {
    BenchSupport.quietLogging();
    new SteadyLoad().run();
  }

  void run() throws Exception {
    String nurse = BenchSupport.userToken(keycloak, "nurse.mht");
    String gp = BenchSupport.userToken(keycloak, "gp.riverside");
    String admin = BenchSupport.userToken(keycloak, "admin");
    String decider = BenchSupport.serviceToken(keycloak, "care-record");
    send(admin, "POST", urls.get("consent") + "/agreements", """
        {"title":"Riverside ICS direct care (steady load)","status":"active","parties":["MHT01","GPP01","LA001","VCS01"],
         "purposes":["TREAT","ETREAT","CAREMGT","COC"],"dataClasses":["*"],"reference":"bench"}""", 201);

    List<String> people = new ArrayList<>();
    List<String> nhsNumbers = new ArrayList<>();
    List<String> allergies = new ArrayList<>();
    List<String> referrals = new ArrayList<>();
    int base = ThreadLocalRandom.current().nextInt(1_000_000, 1_400_000);
    for (int i = 0; i < PEOPLE; i++) {
      String nhs = Population.nhsNumber(base + i);
      String id = send(nurse, "POST", urls.get("identity") + "/fhir/Patient", """
          {"resourceType":"Patient","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"%s"}],
           "name":[{"family":"Steady","given":["Load"]}],"birthDate":"1960-02-02"}""".formatted(nhs), 201)
          .path("id").asText();
      people.add(id);
      nhsNumbers.add(nhs);
      send(nurse, "POST", urls.get("identity") + "/fhir/CareTeam", """
          {"resourceType":"CareTeam","status":"active","subject":{"reference":"Patient/%s"},
           "participant":[{"member":{"identifier":{"system":"%s","value":"MHT01"}}}]}""".formatted(id, ODS), 201);
      allergies.add(send(nurse, "POST", urls.get("care-record") + "/fhir/AllergyIntolerance", """
          {"resourceType":"AllergyIntolerance","code":{"text":"Penicillin"},"patient":{"reference":"Patient/%s"},
           "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
                                        "code":"active"}]}}""".formatted(id), 201).path("id").asText());
      referrals.add(send(gp, "POST", urls.get("referral") + "/fhir/ServiceRequest", """
          {"resourceType":"ServiceRequest","status":"active","intent":"order",
           "category":[{"coding":[{"system":"https://fhir.tellonce.org/CodeSystem/service-category","code":"mental-health"}]}],
           "code":{"text":"Assessment"},"subject":{"reference":"Patient/%s"}}""".formatted(id), 201)
          .path("id").asText());
    }
    // The care teams reach the consent service over Kafka: wait until the last person's allergy can be read.
    long deadline = System.currentTimeMillis() + 60_000;
    while (status(nurse, urls.get("care-record") + "/fhir/AllergyIntolerance/" + allergies.get(PEOPLE - 1)) != 200) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("the care teams did not reach the consent service within a minute");
      }
      Thread.sleep(250);
    }

    List<Load> loads = List.of(
        new Load("identity", () -> {
          int i = ThreadLocalRandom.current().nextInt(PEOPLE);
          return get(nurse, urls.get("identity") + (ThreadLocalRandom.current().nextBoolean()
              ? "/fhir/Patient/" + people.get(i)
              : "/fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number%7C" + nhsNumbers.get(i)));
        }),
        new Load("consent", () -> {
          StringBuilder items = new StringBuilder();
          for (int k = 0; k < 10; k++) {
            items.append(k == 0 ? "" : ",").append("{\"id\":\"Observation/").append(k)
                .append("\",\"resourceType\":\"Observation\",\"labels\":[").append(k % 3 == 0 ? "\"PSY\"" : "")
                .append("]}");
          }
          return HttpRequest.newBuilder(URI.create(urls.get("consent") + "/decisions"))
              .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + decider)
              .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("""
                  {"subject":"%s","purpose":"TREAT","actor":{"organization":"MHT01","user":"nurse.mht",
                   "roles":["clinician"]},"data":[%s]}""".formatted(
                  people.get(ThreadLocalRandom.current().nextInt(PEOPLE)), items))).build();
        }),
        new Load("care-record", () -> {
          int i = ThreadLocalRandom.current().nextInt(PEOPLE);
          return get(nurse, urls.get("care-record") + (ThreadLocalRandom.current().nextBoolean()
              ? "/fhir/AllergyIntolerance/" + allergies.get(i)
              : "/fhir/AllergyIntolerance?patient=" + people.get(i)));
        }),
        new Load("referral", () -> get(nurse, urls.get("referral") + "/fhir/ServiceRequest/"
            + referrals.get(ThreadLocalRandom.current().nextInt(PEOPLE)))));

    warmUp(loads);
    System.out.printf("steady load: %d requests/s to each of %d services for %d minutes%n", rate, loads.size(),
        minutes);
    ScheduledExecutorService clock = Executors.newScheduledThreadPool(2);
    long periodNanos = 1_000_000_000L / rate;
    long start = System.nanoTime();
    long end = start + TimeUnit.MINUTES.toNanos(minutes);
    for (Load load : loads) {
      clock.scheduleAtFixedRate(() -> {
        long due = start + load.sent.getAndIncrement() * periodNanos;
        if (due > end) {
          return;
        }
        BenchSupport.HTTP.sendAsync(load.next.get(), HttpResponse.BodyHandlers.ofString())
            .whenComplete((response, failure) -> {
              long latency = System.nanoTime() - due;
              load.latencies.add(latency);
              if (failure == null && response.statusCode() < 300) {
                load.answered.add(latency);
              } else if (failure == null && response.statusCode() == 503
                  && FhirException.RETRY_BUSY.equals(response.headers().firstValue("Retry-After").orElse(null))) {
                load.shed.incrementAndGet();
              } else {
                load.errors.incrementAndGet();
                if (load.firstError == null) {
                  load.firstError = failure != null ? failure.toString()
                      : response.statusCode() + " " + response.body().substring(0, Math.min(200,
                          response.body().length()));
                }
              }
            });
      }, 0, periodNanos, TimeUnit.NANOSECONDS);
    }
    clock.scheduleAtFixedRate(() -> loads.forEach(load -> load.residentKb.add(resident(load.service))), 0, 10,
        TimeUnit.SECONDS);
    // Until the end, then until every request sent is answered (at most 30 s more: the client's timeout).
    while (System.nanoTime() < end || (System.nanoTime() < end + TimeUnit.SECONDS.toNanos(30)
        && loads.stream().anyMatch(l -> l.latencies.size() < Math.min(l.sent.get(), expected(l))))) {
      Thread.sleep(1000);
    }
    clock.shutdownNow();
    write(loads);
  }

  /** {@code bench.warmup-seconds} (60) at the same rate, not recorded: the services' code is compiled by then. */
  void warmUp(List<Load> loads) throws Exception {
    int seconds = Integer.getInteger("bench.warmup-seconds", 60);
    System.out.printf("warming up: %d s at %d requests/s each%n", seconds, rate);
    for (int tick = 0; tick < seconds * rate; tick++) {
      for (Load load : loads) {
        BenchSupport.HTTP.sendAsync(load.next.get(), HttpResponse.BodyHandlers.discarding());
      }
      Thread.sleep(1000L / rate);
    }
    Thread.sleep(5000);
  }

  long expected(Load load) {
    return (long) minutes * 60 * rate;
  }

  void write(List<Load> loads) throws Exception {
    StringBuilder out = new StringBuilder();
    out.append("### Steady load (").append(LocalDate.now()).append("): ").append(rate)
        .append(" requests/s to each service at once for ").append(minutes).append(" minutes\n\n")
        .append("| service | requests | answered | shed (503 busy) | errors | answered: p50 / p99 / p99.9 / max"
            + " | resident memory: first minute → peak → last |\n")
        .append("|---|---|---|---|---|---|---|\n");
    for (Load load : loads) {
      long[] sorted = load.answered.stream().mapToLong(Long::longValue).sorted().toArray();
      List<Long> rss = load.residentKb;
      long firstMinute = rss.stream().limit(6).mapToLong(Long::longValue).max().orElse(0);
      long peak = rss.stream().mapToLong(Long::longValue).max().orElse(0);
      long last = rss.isEmpty() ? 0 : rss.get(rss.size() - 1);
      out.append("| ").append(load.service).append(" | ").append(load.latencies.size()).append(" | ")
          .append(sorted.length).append(" | ").append(load.shed.get()).append(" | ").append(load.errors.get())
          .append(" | ").append(sorted.length == 0 ? "-" : "%.1f / %.1f / %.1f / %.1f ms".formatted(
              BenchSupport.percentile(sorted, 50), BenchSupport.percentile(sorted, 99),
              BenchSupport.percentile(sorted, 99.9), sorted[sorted.length - 1] / 1e6))
          .append(" | ").append("%d → %d → %d MB".formatted(firstMinute / 1024, peak / 1024, last / 1024))
          .append(" |\n");
      if (load.firstError != null) {
        out.append("\n").append(load.service).append(": first error: ").append(load.firstError.replace('\n', ' '))
            .append("\n\n");
      }
    }
    Map<String, String> series = new LinkedHashMap<>();
    loads.forEach(l -> series.put(l.service, l.residentKb.stream().map(kb -> String.valueOf(kb / 1024)).toList()
        .toString()));
    out.append("\nResident memory every 10 s (MB): ").append(series).append("\n");
    Files.createDirectories(report.toAbsolutePath().getParent());
    Files.writeString(report, out.toString());
    System.out.print(out);
  }

  /** VmRSS of the service's process (the pid deploy/stack.sh recorded), in kB; 0 if unknown. */
  long resident(String service) {
    try {
      String pid = Files.readString(run.resolve(service + ".pid")).strip();
      for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (Exception e) {
      return 0;
    }
    return 0;
  }

  static HttpRequest get(String token, String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token).header("Accept", "application/fhir+json").GET().build();
  }

  static int status(String token, String url) throws Exception {
    return BenchSupport.HTTP.send(get(token, url), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  static JsonNode send(String token, String method, String url, String body, int expected) throws Exception {
    return BenchSupport.send(token, method, url, body, expected);
  }
}
