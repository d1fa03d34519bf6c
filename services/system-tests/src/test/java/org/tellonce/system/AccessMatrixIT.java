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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.tellonce.system.AccessOracle.Actor;
import org.tellonce.system.AccessOracle.Agreement;
import org.tellonce.system.AccessOracle.Consent;
import org.tellonce.system.AccessOracle.Decision;
import org.tellonce.system.AccessOracle.Item;
import org.tellonce.system.AccessOracle.Person;
import org.tellonce.system.AccessOracle.Provision;
import org.tellonce.system.AccessOracle.Review;
import org.tellonce.testing.Consents;
import org.tellonce.testing.KeycloakUsers;
import org.tellonce.testing.SharingAgreements;
import org.tellonce.testing.Tokens;

/**
 * The leak matrix (make verify-access): every demo actor × a population of synthetic persons with varied care teams,
 * Consents (objections pending, upheld, overridden and withdrawn; nested exceptions; explicit permits of a sensitive
 * label; denials by purpose and resource type), sensitivity labels and restricted persons × every read path of the
 * shared record (read, vread, history, search by each type, by code, `_summary=count`, `_include`, `_revinclude`,
 * paging links followed and replayed by another user, `$everything`, another purpose of use, the audit trail, the
 * answer for a missing resource). {@link AccessOracle} computes what the policy discloses, independently of the
 * services' code; any disclosure beyond it (a resource, a count, an element it withholds) and any denial it permits is
 * a violation. The last line reads "N requests, M disclosures checked, V violations".
 */
class AccessMatrixIT {

  static final JsonMapper JSON = JsonMapper.builder().build();
  static final long SEED = 20261203L;
  /** Persons in the population (TELLONCE_ACCESS_PERSONS): 52 make more than 10,000 requests. */
  static final int PERSONS = Integer.parseInt(System.getenv().getOrDefault("TELLONCE_ACCESS_PERSONS", "52"));
  static final int THREADS = 4;
  static final List<String> ORGANIZATIONS = SharingAgreements.PARTIES;
  static final String CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";
  static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
  static final String SENSITIVITY = "https://tellonce.org/fhir/CodeSystem/sensitivity";
  static final Map<String, String> LABEL_SYSTEMS = Map.of("R", CONFIDENTIALITY, "V", CONFIDENTIALITY, "PSY",
      ACT_CODE, "ETH", ACT_CODE, "HIV", ACT_CODE, "safeguarding", SENSITIVITY, "third-party", SENSITIVITY,
      "gender-history", SENSITIVITY);
  static final String HYPERTENSION = "http://snomed.info/sct%7C38341003";

  /** The realm's demo users (deploy/keycloak/realm-tellonce.json) who read the record. */
  static final List<Actor> READERS = List.of(
      new Actor("nurse.mht", "MHT01", Set.of("clinician")),
      new Actor("gp.riverside", "GPP01", Set.of("clinician", "senior-clinician")),
      new Actor("sw.council", "LA001", Set.of("social-worker")),
      new Actor("worker.vcse", "VCS01", Set.of("support-worker")));
  /** Demo users whose roles give no access to the record itself, only (for these) to the audit trail. */
  static final List<Actor> AUDITORS = List.of(
      new Actor("caldicott.mht", "MHT01", Set.of("privacy-officer")),
      new Actor("admin", null, Set.of("admin")));

  /** A resource held about a person: what was sent, so that what comes back can be held to it. */
  record Held(String key, String type, String id, Set<String> labels, String code, boolean aboutEncounter) {
    Item item() {
      return new Item(type, labels);
    }
  }

  record Seeded(Person person, List<Held> held) {
    Held get(String key) {
      return held.stream().filter(h -> h.key().equals(key)).findFirst().orElseThrow();
    }
  }

  record Answer(int status, JsonNode body, String raw) {}

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  final AtomicLong requests = new AtomicLong();
  final AtomicLong disclosures = new AtomicLong();
  final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
  final Map<String, String> tokens = new ConcurrentHashMap<>();
  final Map<String, String> missingAnswers = new ConcurrentHashMap<>();
  /** How often the oracle decided each way: the matrix must reach every rule it models, or it proves less. */
  final Map<String, Long> outcomes = new ConcurrentHashMap<>();
  final LocalDate today = LocalDate.now(ZoneOffset.UTC);
  AccessOracle oracle;

  @Test
  void disclosesExactlyWhatThePolicyAllows() throws Exception {
    SharingAgreements.ensure(Services.CONSENT);
    oracle = new AccessOracle(agreements());
    List<Seeded> population = populate();

    for (Actor actor : concat(READERS, AUDITORS)) {
      tokens.put(actor.user(), KeycloakUsers.token(actor.user()));
    }
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (Seeded seeded : population) {
        for (int a = 0; a < READERS.size(); a++) {
          Actor actor = READERS.get(a);
          Actor other = READERS.get((a + 1) % READERS.size());
          runs.add(pool.submit(() -> reader(seeded, actor, other)));
        }
        for (Actor auditor : AUDITORS) {
          runs.add(pool.submit(() -> auditor(seeded, auditor)));
        }
      }
      for (Future<?> run : runs) {
        run.get();
      }
    } finally {
      pool.shutdownNow();
    }

    new java.util.TreeMap<>(outcomes).forEach((outcome, times) -> System.out.println(outcome + ": " + times));
    violations.stream().limit(50).forEach(System.out::println);
    System.out.println(requests.get() + " requests, " + disclosures.get() + " disclosures checked, "
        + violations.size() + " violations");
    assertThat(requests.get()).as("the matrix is at least 10,000 requests").isGreaterThanOrEqualTo(
        PERSONS >= 52 ? 10_000 : 0);
    assertThat(violations).isEmpty();
    if (PERSONS >= 52) {
      assertThat(outcomes.keySet()).as("the population reaches every rule the oracle models").contains(
          "PERMIT policy/direct-care", "PERMIT Consent", "DENY Consent", "DENY policy/no-legitimate-relationship",
          "DENY policy/restricted-label", "DENY policy/explicit-consent-required",
          "PERMIT policy/direct-care withholding [note, text]", "PERMIT policy/direct-care withholding [contact-details]",
          "PERMIT Consent withholding [contact-details]");
    }
  }

  // --- the population -------------------------------------------------------------------------------------------

  List<Agreement> agreements() throws Exception {
    JsonNode list = JSON.readTree(given().auth().oauth2(Tokens.user("admin")).baseUri(Services.CONSENT)
        .get("/agreements").then().statusCode(200).extract().asString());
    List<Agreement> agreements = new ArrayList<>();
    for (JsonNode a : list.isArray() ? list : list.path("agreements")) {
      agreements.add(new Agreement(strings(a.path("parties")), strings(a.path("purposes")),
          strings(a.path("dataClasses")), "active".equals(a.path("status").asText()),
          a.path("period").hasNonNull("start") ? LocalDate.parse(a.path("period").path("start").asText()
              .substring(0, 10)) : null,
          a.path("period").hasNonNull("end") ? LocalDate.parse(a.path("period").path("end").asText()
              .substring(0, 10)) : null));
    }
    assertThat(agreements).as("the agreements the oracle decides on").isNotEmpty();
    return agreements;
  }

  List<Seeded> populate() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<Seeded>> people = new ArrayList<>();
      for (int i = 0; i < PERSONS; i++) {
        int index = i;
        people.add(pool.submit(() -> seed(index)));
      }
      List<Seeded> population = new ArrayList<>();
      for (Future<Seeded> person : people) {
        population.add(person.get());
      }
      return population;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Person {@code index}: a care team, maybe a restriction, one of eight kinds of Consent, eleven resources. */
  Seeded seed(int index) throws Exception {
    Random random = new Random(SEED + index);
    Set<String> careTeam = new LinkedHashSet<>();
    for (String organization : ORGANIZATIONS) {
      if (random.nextInt(10) < 6) {
        careTeam.add(organization);
      }
    }
    boolean restricted = random.nextInt(4) == 0;
    if (restricted && careTeam.stream().allMatch("LA001"::equals)) {
      careTeam.add("MHT01");
    }
    String personId = register(restricted ? "sw.council" : "nurse.mht", restricted);
    if (!careTeam.isEmpty()) {
      People.careTeam("nurse.mht", personId, careTeam.toArray(String[]::new));
    }
    if (restricted) {
      String seen = careTeam.stream().filter(o -> !"LA001".equals(o)).findFirst().orElseThrow();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
          .until(() -> obligations(personId, seen).contains("redact-contact-details"));
    }
    List<Consent> consents = consents(index % 8, random, personId);
    List<Held> held = write(personId);
    return new Seeded(new Person(personId, Set.copyOf(careTeam), restricted ? "LA001" : null, consents), held);
  }

  String register(String user, boolean restricted) {
    return given().auth().oauth2(Tokens.user(user)).contentType("application/fhir+json").baseUri(Services.IDENTITY)
        .body("""
            {"resourceType":"Patient",%s"identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"%s"}],
             "name":[{"family":"Matrix","given":["Pat"]}],"birthDate":"1961-04-05",
             "telecom":[{"system":"phone","value":"01632 960001"}],
             "address":[{"line":["3 Mill Lane"],"postalCode":"RV1 4EF"}]}
            """.formatted(restricted ? "\"meta\":{\"security\":[{\"system\":\"" + CONFIDENTIALITY
                + "\",\"code\":\"R\"}]}," : "", People.nhsNumber()))
        .post("/fhir/Patient").then().log().ifValidationFails().statusCode(201).extract().path("id");
  }

  static List<String> obligations(String personId, String organization) {
    return People.decision(personId, organization).getList("obligations");
  }

  /** The person's Consents of this kind, recorded (and reviewed or withdrawn) through the consent service. */
  List<Consent> consents(int kind, Random random, String personId) {
    String x = ORGANIZATIONS.get(random.nextInt(ORGANIZATIONS.size()));
    Set<String> none = Set.of();
    Provision objection = Provision.of(false, Set.of(x), none, none, none);
    return switch (kind) {
      case 1 -> {
        boolean upheld = random.nextBoolean();
        String id = record(personId, objection, "active");
        if (upheld) {
          review(id, "caldicott.mht", "upheld");
        }
        yield List.of(new Consent(id, true, objection, upheld ? Review.UPHELD : Review.PENDING));
      }
      case 2 -> {
        Provision nested = Provision.of(false, none, none, none, none, Provision.of(true, Set.of(x), none, none, none));
        yield List.of(new Consent(record(personId, nested, "active"), true, nested, Review.PENDING));
      }
      case 3 -> {
        Provision psy = Provision.of(true, Set.of(x), none, none, Set.of("PSY"));
        yield List.of(new Consent(record(personId, psy, "active"), true, psy, null));
      }
      case 4 -> {
        String id = record(personId, objection, "active");
        given().auth().oauth2(Tokens.user("nurse.mht")).contentType("application/fhir+json")
            .baseUri(Services.CONSENT).body(consentJson(personId, objection, "inactive", id))
            .put("/fhir/Consent/" + id).then().log().ifValidationFails().statusCode(200);
        yield List.of(new Consent(id, false, objection, Review.PENDING));
      }
      case 5 -> {
        String id = record(personId, objection, "active");
        review(id, "gp.riverside", "overridden");
        yield List.of(new Consent(id, true, objection, Review.OVERRIDDEN));
      }
      case 6 -> {
        Provision conditions = Provision.of(false, Set.of(x), Set.of("TREAT"), Set.of("Condition"), none);
        yield List.of(new Consent(record(personId, conditions, "active"), true, conditions, Review.PENDING));
      }
      case 7 -> {
        Provision safeguarding = Provision.of(true, Set.of(x), none, none, Set.of("safeguarding"));
        yield List.of(new Consent(record(personId, objection, "active"), true, objection, Review.PENDING),
            new Consent(record(personId, safeguarding, "active"), true, safeguarding, null));
      }
      default -> List.of();
    };
  }

  String record(String personId, Provision provision, String status) {
    return given().auth().oauth2(Tokens.user("nurse.mht")).contentType("application/fhir+json")
        .baseUri(Services.CONSENT).body(consentJson(personId, provision, status, null))
        .post("/fhir/Consent").then().log().ifValidationFails().statusCode(201).extract().path("id");
  }

  static void review(String consentId, String reviewer, String outcome) {
    given().auth().oauth2(Tokens.user(reviewer)).contentType("application/json").baseUri(Services.CONSENT)
        .body(Map.of("outcome", outcome, "reason", "Reviewed with the person and their care team for the matrix"))
        .post("/objections/" + consentId + "/reviews").then().log().ifValidationFails().statusCode(200);
  }

  static String consentJson(String personId, Provision root, String status, String id) {
    return """
        {"resourceType":"Consent",%s"status":"%s",
         "scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},
         "category":[{"coding":[{"system":"http://loinc.org","code":"59284-0"}]}],
         "patient":{"reference":"Patient/%s"},"performer":[{"reference":"Patient/%s"}],"provision":%s}
        """.formatted(id == null ? "" : "\"id\":\"" + id + "\",", status, personId, personId, provisionJson(root));
  }

  static String provisionJson(Provision provision) {
    List<String> parts = new ArrayList<>();
    parts.add("\"type\":\"" + (provision.permit() ? "permit" : "deny") + "\"");
    if (!provision.organizations().isEmpty()) {
      parts.add("\"actor\":[" + provision.organizations().stream().map(o -> """
          {"role":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ParticipationType","code":"IRCP"}]},
           "reference":{"identifier":{"system":"%s","value":"%s"}}}""".formatted(Consents.ODS, o))
          .collect(Collectors.joining(",")) + "]");
    }
    if (!provision.purposes().isEmpty()) {
      parts.add("\"purpose\":[" + provision.purposes().stream()
          .map(p -> "{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActReason\",\"code\":\"" + p + "\"}")
          .collect(Collectors.joining(",")) + "]");
    }
    if (!provision.types().isEmpty()) {
      parts.add("\"class\":[" + provision.types().stream()
          .map(t -> "{\"system\":\"http://hl7.org/fhir/resource-types\",\"code\":\"" + t + "\"}")
          .collect(Collectors.joining(",")) + "]");
    }
    if (!provision.labels().isEmpty()) {
      parts.add("\"securityLabel\":[" + provision.labels().stream()
          .map(l -> "{\"system\":\"" + LABEL_SYSTEMS.get(l) + "\",\"code\":\"" + l + "\"}")
          .collect(Collectors.joining(",")) + "]");
    }
    if (!provision.exceptions().isEmpty()) {
      parts.add("\"provision\":[" + provision.exceptions().stream().map(AccessMatrixIT::provisionJson)
          .collect(Collectors.joining(",")) + "]");
    }
    return "{" + String.join(",", parts) + "}";
  }

  /** Eleven resources about the person, recorded by the trust, with the labels the policy treats apart. */
  List<Held> write(String personId) {
    String subject = "\"subject\":{\"reference\":\"Patient/" + personId + "\"}";
    List<Held> held = new ArrayList<>();
    String encounter = post(held, "encounter", "Encounter", Set.of(), null, false, """
        {"resourceType":"Encounter",%s"status":"finished",
         "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},%s,
         "period":{"start":"2026-11-01T10:00:00Z","end":"2026-11-01T11:00:00Z"}}""", subject);
    String byEncounter = "\"encounter\":{\"reference\":\"Encounter/" + encounter + "\"}";
    post(held, "allergy", "AllergyIntolerance", Set.of(), null, false, """
        {"resourceType":"AllergyIntolerance",%s
         "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical","code":"active"}]},
         "code":{"text":"Penicillin"},"patient":{"reference":"Patient/%s"}}""", personId);
    String condition = """
        {"resourceType":"Condition",%%s
         "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},
         "code":{"coding":[{"system":"http://snomed.info/sct","code":"%s"}]},%s,%s}""";
    post(held, "mental-health", "Condition", Set.of("PSY"), "35489007", true,
        condition.formatted("35489007", subject, byEncounter));
    post(held, "hypertension", "Condition", Set.of(), "38341003", true,
        condition.formatted("38341003", subject, byEncounter));
    post(held, "home", "Observation", Set.of("third-party"), null, true, """
        {"resourceType":"Observation",%%s"status":"final",
         "text":{"status":"generated","div":"<div xmlns=\\"http://www.w3.org/1999/xhtml\\">Home circumstances</div>"},
         "code":{"text":"Home circumstances"},%s,%s,"valueString":"Lives with partner",
         "note":[{"text":"Partner is known to services"}]}""".formatted(subject, byEncounter));
    post(held, "very-restricted", "Observation", Set.of("V"), null, false, """
        {"resourceType":"Observation",%%s"status":"final","code":{"text":"Restricted result"},%s,
         "valueString":"Recorded"}""".formatted(subject));
    String flag = """
        {"resourceType":"Flag",%%s"status":"active","code":{"text":"%s"},%s}""";
    post(held, "safeguarding", "Flag", Set.of("safeguarding"), null, false,
        flag.formatted("Safeguarding concern", subject));
    post(held, "substance", "Flag", Set.of("ETH"), null, false, flag.formatted("Alcohol use", subject));
    post(held, "carer", "RelatedPerson", Set.of(), null, false, """
        {"resourceType":"RelatedPerson",%%s"patient":{"reference":"Patient/%s"},"name":[{"family":"Carer"}],
         "telecom":[{"system":"phone","value":"01632 960002"}],
         "address":[{"line":["2 Low Street"],"postalCode":"RV1 3CD"}]}""".formatted(personId));
    post(held, "hiv", "MedicationStatement", Set.of("HIV"), null, false, """
        {"resourceType":"MedicationStatement",%%s"status":"active","medicationCodeableConcept":{"text":"Antiretroviral"},
         %s}""".formatted(subject));
    post(held, "gender", "DocumentReference", Set.of("gender-history"), null, false, """
        {"resourceType":"DocumentReference",%%s"status":"current",%s,
         "content":[{"attachment":{"contentType":"text/plain","data":"R2VuZGVyIGhpc3Rvcnk="}}]}""".formatted(subject));
    return held;
  }

  private String post(List<Held> held, String key, String type, Set<String> labels, String code,
      boolean aboutEncounter, String template, Object... arguments) {
    String meta = labels.isEmpty() ? "" : "\"meta\":{\"security\":[" + labels.stream()
        .map(l -> "{\"system\":\"" + LABEL_SYSTEMS.get(l) + "\",\"code\":\"" + l + "\"}")
        .collect(Collectors.joining(",")) + "]},";
    List<Object> values = new ArrayList<>();
    values.add(meta);
    values.addAll(List.of(arguments));
    String id = given().auth().oauth2(Tokens.user("nurse.mht")).contentType("application/fhir+json")
        .baseUri(Services.CARE_RECORD).body(template.formatted(values.toArray()))
        .post("/fhir/" + type).then().log().ifValidationFails().statusCode(201).extract().path("id");
    held.add(new Held(key, type, id, labels, code, aboutEncounter));
    return id;
  }

  // --- the matrix ------------------------------------------------------------------------------------------------

  /** Everything a reader of the record can ask about one person, each answer held to the oracle. */
  void reader(Seeded seeded, Actor actor, Actor other) {
    try {
      readerPaths(seeded, actor, other);
    } catch (Exception e) {
      violations.add(actor.user() + " on " + seeded.person().id() + ": the run failed: " + e);
    }
  }

  void readerPaths(Seeded seeded, Actor actor, Actor other) throws Exception {
    Person person = seeded.person();
    for (Held held : seeded.held()) {
      String path = "/fhir/" + held.type() + "/" + held.id();
      single(seeded, actor, held, path, "read", "TREAT");
      single(seeded, actor, held, path + "/_history/1", "vread", "TREAT");
      history(seeded, actor, held);
    }
    Set<String> types = seeded.held().stream().map(Held::type).collect(Collectors.toCollection(TreeSet::new));
    for (String type : types) {
      search(seeded, actor, "/fhir/" + type + "?patient=" + person.id(), "TREAT", h -> h.type().equals(type));
    }
    search(seeded, actor, "/fhir/Condition?patient=" + person.id() + "&code=" + HYPERTENSION, "TREAT",
        h -> h.type().equals("Condition") && "38341003".equals(h.code()));
    search(seeded, actor, "/fhir/Observation?patient=" + person.id() + "&status=final", "TREAT",
        h -> h.type().equals("Observation"));
    search(seeded, actor, "/fhir/Condition?patient=" + person.id(), "HRESCH", h -> h.type().equals("Condition"));
    search(seeded, actor, "/fhir/Flag?patient=" + person.id(), "CAREMGT", h -> h.type().equals("Flag"));
    single(seeded, actor, seeded.get("allergy"), "/fhir/AllergyIntolerance/" + seeded.get("allergy").id(), "read",
        "HRESCH");
    count(seeded, actor, "Condition", "/fhir/Condition?subject=Patient/" + person.id() + "&_summary=count");
    count(seeded, actor, "Observation", "/fhir/Observation?patient=" + person.id() + "&_summary=count");
    includes(seeded, actor);
    paging(seeded, actor, other);
    everything(seeded, actor);
    Answer audit = get(actor, "/fhir/AuditEvent?patient=" + person.id(), "TREAT");
    if (audit.status() != 403) {
      violate(actor, person, "AuditEvent?patient", "answered " + audit.status() + ", not 403, to a reader");
    }
  }

  void auditor(Seeded seeded, Actor actor) {
    try {
      Person person = seeded.person();
      Held allergy = seeded.get("allergy");
      for (String path : List.of("/fhir/AllergyIntolerance/" + allergy.id(),
          "/fhir/Condition?patient=" + person.id(), "/fhir/Patient/" + person.id() + "/$everything")) {
        Answer answer = get(actor, path, "TREAT");
        if (answer.status() != 403) {
          violate(actor, person, path, "the record answered " + answer.status() + " to a " + actor.roles());
        }
      }
      Answer trail = get(actor, "/fhir/AuditEvent?patient=" + person.id(), "TREAT");
      if (trail.status() != 200 || !"Bundle".equals(trail.body().path("resourceType").asText())) {
        violate(actor, person, "AuditEvent?patient", "the trail answered " + trail.status());
      }
      for (JsonNode entry : trail.body().path("entry")) {
        String text = entry.path("resource").toString();
        if (text.contains("Penicillin") || text.contains("Partner is known")) {
          violate(actor, person, "AuditEvent?patient", "the trail carries clinical content");
        }
      }
    } catch (Exception e) {
      violations.add(actor.user() + " on " + seeded.person().id() + ": the run failed: " + e);
    }
  }

  Decision decision(Seeded seeded, Actor actor, String purpose, Held held) {
    Decision decision = oracle.decide(seeded.person(), actor, purpose, held.item(), today);
    String rule = decision.rule().startsWith("Consent/") ? "Consent" : decision.rule();
    outcomes.merge((decision.permit() ? "PERMIT " : "DENY ") + rule
        + (decision.withheld().isEmpty() ? "" : " withholding " + decision.withheld()), 1L, Long::sum);
    return decision;
  }

  Set<String> visible(Seeded seeded, Actor actor, String purpose, Predicate<Held> which) {
    return seeded.held().stream().filter(which).filter(h -> decision(seeded, actor, purpose, h).permit())
        .map(h -> h.type() + "/" + h.id()).collect(Collectors.toCollection(TreeSet::new));
  }

  /** A read or vread: the resource as the policy shows it, or exactly the answer for a missing one. */
  void single(Seeded seeded, Actor actor, Held held, String path, String interaction, String purpose)
      throws Exception {
    Decision expected = decision(seeded, actor, purpose, held);
    Answer answer = get(actor, path, purpose);
    disclosures.incrementAndGet();
    if (expected.permit()) {
      if (answer.status() != 200) {
        violate(actor, seeded.person(), path, interaction + " permitted (" + expected.rule() + ") but answered "
            + answer.status());
        return;
      }
      shown(seeded, actor, path, held, answer.body(), expected);
    } else {
      sameAsMissing(actor, seeded.person(), path, held, interaction, answer, expected);
    }
  }

  void history(Seeded seeded, Actor actor, Held held) throws Exception {
    String path = "/fhir/" + held.type() + "/" + held.id() + "/_history";
    Decision expected = decision(seeded, actor, "TREAT", held);
    Answer answer = get(actor, path, "TREAT");
    disclosures.incrementAndGet();
    if (!expected.permit()) {
      sameAsMissing(actor, seeded.person(), path, held, "history", answer, expected);
      return;
    }
    if (answer.status() != 200 || answer.body().path("entry").size() != 1) {
      violate(actor, seeded.person(), path, "history permitted but answered " + answer.status() + " with "
          + answer.body().path("entry").size() + " entries");
      return;
    }
    shown(seeded, actor, path, held, answer.body().path("entry").get(0).path("resource"), expected);
  }

  /** A withheld resource is answered exactly as a missing one of the same type would be. */
  void sameAsMissing(Actor actor, Person person, String path, Held held, String interaction, Answer answer,
      Decision expected) throws Exception {
    String missing = missingAnswers.computeIfAbsent(actor.user() + " " + held.type() + " " + interaction, k -> {
      String id = UUID.randomUUID().toString();
      String missingPath = path.replace(held.id(), id);
      try {
        Answer absent = get(actor, missingPath, "TREAT");
        return absent.status() + " " + absent.raw().replace(id, "{id}");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    String told = answer.status() + " " + answer.raw().replace(held.id(), "{id}");
    if (!told.equals(missing)) {
      violate(actor, person, path, interaction + " denied (" + expected.rule() + ") but told apart from a missing "
          + held.type() + ": " + abbreviate(told) + " vs " + abbreviate(missing));
    }
  }

  /** A disclosed resource: the one asked for, with exactly the elements the decision withholds taken out. */
  void shown(Seeded seeded, Actor actor, String path, Held held, JsonNode resource, Decision expected) {
    Person person = seeded.person();
    if (!held.id().equals(resource.path("id").asText()) || !held.type().equals(resource.path("resourceType")
        .asText())) {
      violate(actor, person, path, "disclosed " + resource.path("resourceType").asText() + "/"
          + resource.path("id").asText() + " for " + held.type() + "/" + held.id());
      return;
    }
    Set<String> withheld = expected.withheld();
    boolean redacted = false;
    for (JsonNode label : resource.path("meta").path("security")) {
      redacted |= "REDACTED".equals(label.path("code").asText());
    }
    List<String> elements = new ArrayList<>();
    if (held.key().equals("home")) {
      elements.addAll(List.of("note", "text"));
    }
    if (held.key().equals("carer")) {
      elements.addAll(List.of("address", "telecom"));
    }
    boolean anyWithheld = false;
    for (String element : elements) {
      boolean shouldGo = withheld.contains(element)
          || (withheld.contains(AccessOracle.CONTACT_DETAILS) && Set.of("address", "telecom").contains(element));
      anyWithheld |= shouldGo;
      if (shouldGo && resource.has(element)) {
        violate(actor, person, path, "disclosed " + element + " of " + held.type() + ", which " + expected.rule()
            + " withholds");
      } else if (!shouldGo && !resource.has(element)) {
        violate(actor, person, path, "withheld " + element + " of " + held.type() + " that " + expected.rule()
            + " shares");
      }
    }
    if (anyWithheld && !redacted) {
      violate(actor, person, path, "showed " + held.type() + " without the REDACTED mark though the decision withholds part of it");
    }
    if (!anyWithheld && redacted && !elements.isEmpty()) {
      violate(actor, person, path, "marked " + held.type() + " REDACTED though nothing is withheld");
    }
  }

  /** A search: the matches are exactly what the policy shows, the total counts them, the notice is always there. */
  void search(Seeded seeded, Actor actor, String path, String purpose, Predicate<Held> which) throws Exception {
    Answer answer = get(actor, path, purpose);
    Set<String> expected = visible(seeded, actor, purpose, which);
    Map<String, JsonNode> matches = bundle(seeded, actor, path, answer, "match");
    if (matches == null) {
      return;
    }
    compare(seeded, actor, path, expected, matches.keySet(), "matches");
    int total = answer.body().path("total").asInt(-1);
    if (total != expected.size()) {
      violate(actor, seeded.person(), path, "total " + total + " where the caller may see " + expected.size());
    }
    for (Map.Entry<String, JsonNode> match : matches.entrySet()) {
      Held held = byReference(seeded, match.getKey());
      if (held != null && expected.contains(match.getKey())) {
        shown(seeded, actor, path, held, match.getValue(), decision(seeded, actor, purpose, held));
      }
    }
  }

  void count(Seeded seeded, Actor actor, String type, String path) throws Exception {
    Answer answer = get(actor, path, "TREAT");
    int expected = visible(seeded, actor, "TREAT", h -> h.type().equals(type)).size();
    disclosures.incrementAndGet();
    if (answer.status() != 200 || answer.body().path("total").asInt(-1) != expected) {
      violate(actor, seeded.person(), path, "_summary=count answered " + answer.status() + " total "
          + answer.body().path("total") + " where the caller may see " + expected);
    }
    for (JsonNode entry : answer.body().path("entry")) {
      if (type.equals(entry.path("resource").path("resourceType").asText())) {
        violate(actor, seeded.person(), path, "_summary=count carried a " + type);
      }
    }
  }

  /** _include and _revinclude follow references only to what the caller may see, from what they may see. */
  void includes(Seeded seeded, Actor actor) throws Exception {
    String personId = seeded.person().id();
    Held encounter = seeded.get("encounter");
    boolean encounterShown = decision(seeded, actor, "TREAT", encounter).permit();
    String include = "/fhir/Observation?patient=" + personId + "&_include=Observation:encounter";
    Answer answer = get(actor, include, "TREAT");
    Set<String> observations = visible(seeded, actor, "TREAT", h -> h.type().equals("Observation"));
    Map<String, JsonNode> matches = bundle(seeded, actor, include, answer, "match");
    Map<String, JsonNode> included = bundle(seeded, actor, include, answer, "include");
    if (matches != null && included != null) {
      compare(seeded, actor, include, observations, matches.keySet(), "matches");
      boolean fromShown = seeded.held().stream().anyMatch(h -> h.type().equals("Observation") && h.aboutEncounter()
          && observations.contains("Observation/" + h.id()));
      Set<String> expected = encounterShown && fromShown ? Set.of("Encounter/" + encounter.id()) : Set.of();
      compare(seeded, actor, include, expected, included.keySet(), "included");
    }
    String revinclude = "/fhir/Encounter?patient=" + personId + "&_revinclude=Condition:encounter";
    Answer reverse = get(actor, revinclude, "TREAT");
    Map<String, JsonNode> encounters = bundle(seeded, actor, revinclude, reverse, "match");
    Map<String, JsonNode> conditions = bundle(seeded, actor, revinclude, reverse, "include");
    if (encounters != null && conditions != null) {
      compare(seeded, actor, revinclude, encounterShown ? Set.of("Encounter/" + encounter.id()) : Set.of(),
          encounters.keySet(), "matches");
      Set<String> expected = encounterShown
          ? visible(seeded, actor, "TREAT", h -> h.type().equals("Condition") && h.aboutEncounter()) : Set.of();
      compare(seeded, actor, revinclude, expected, conditions.keySet(), "included");
    }
  }

  /** One Flag a page: every page followed gives the caller's view once; the link replayed by another, theirs. */
  void paging(Seeded seeded, Actor actor, Actor other) throws Exception {
    String path = "/fhir/Flag?patient=" + seeded.person().id() + "&_count=1";
    Set<String> expected = visible(seeded, actor, "TREAT", h -> h.type().equals("Flag"));
    List<String> seen = new ArrayList<>();
    String next = path;
    String firstNext = null;
    for (int page = 0; next != null && page < 5; page++) {
      Answer answer = get(actor, next, "TREAT");
      Map<String, JsonNode> matches = bundle(seeded, actor, next, answer, "match");
      if (matches == null) {
        return;
      }
      if (matches.size() > 1) {
        violate(actor, seeded.person(), next, "a page of _count=1 held " + matches.size());
      }
      seen.addAll(matches.keySet());
      next = link(answer.body(), "next");
      if (page == 0) {
        firstNext = next;
      }
      if (next != null && matches.isEmpty()) {
        violate(actor, seeded.person(), path, "an empty page links to a next one");
      }
    }
    if (seen.size() != new HashSet<>(seen).size()) {
      violate(actor, seeded.person(), path, "paging gave a resource twice: " + seen);
    }
    compare(seeded, actor, path + " (every page)", expected, new TreeSet<>(seen), "matches");
    if (firstNext != null) {
      Answer replayed = get(other, firstNext, "TREAT");
      Map<String, JsonNode> matches = bundle(seeded, other, firstNext, replayed, "match");
      Set<String> theirs = visible(seeded, other, "TREAT", h -> h.type().equals("Flag"));
      if (matches != null && !theirs.containsAll(matches.keySet())) {
        violate(other, seeded.person(), firstNext, "a paging link of " + actor.user() + " disclosed "
            + without(matches.keySet(), theirs));
      }
      if (replayed.status() == 200 && replayed.body().path("total").asInt(-1) != theirs.size()
          && replayed.body().has("total")) {
        violate(other, seeded.person(), firstNext, "a replayed link's total " + replayed.body().path("total")
            + " is not the replaying user's " + theirs.size());
      }
    }
  }

  /** $everything, every page: exactly what the caller may see of the record, once each. */
  void everything(Seeded seeded, Actor actor) throws Exception {
    Person person = seeded.person();
    String next = "/fhir/Patient/" + person.id() + "/$everything?_count=4";
    Set<String> expected = visible(seeded, actor, "TREAT", h -> true);
    // Each resource's Provenance carries its labels: it is shown exactly when a Provenance so labelled may be.
    Set<String> provenanceOf = seeded.held().stream()
        .filter(h -> oracle.decide(person, actor, "TREAT", new Item("Provenance", h.labels()), today).permit())
        .map(h -> h.type() + "/" + h.id()).collect(Collectors.toCollection(TreeSet::new));
    List<String> seen = new ArrayList<>();
    List<String> provenanceSeen = new ArrayList<>();
    for (int page = 0; next != null && page < 10; page++) {
      Answer answer = get(actor, next, "TREAT");
      Map<String, JsonNode> entries = bundle(seeded, actor, next, answer, null);
      if (entries == null) {
        return;
      }
      for (Map.Entry<String, JsonNode> entry : entries.entrySet()) {
        JsonNode resource = entry.getValue();
        if ("Patient".equals(resource.path("resourceType").asText())) {
          boolean contactsHidden = person.restrictedBy() != null
              && !person.restrictedBy().equals(actor.organization());
          if (contactsHidden && (resource.has("address") || resource.has("telecom"))) {
            violate(actor, person, next, "disclosed a restricted person's address or telecom");
          }
          continue;
        }
        if ("Provenance".equals(resource.path("resourceType").asText())) {
          String target = resource.path("target").path(0).path("reference").asText();
          provenanceSeen.add(target.contains("/_history/") ? target.substring(0, target.indexOf("/_history/"))
              : target);
          continue;
        }
        seen.add(entry.getKey());
        Held held = byReference(seeded, entry.getKey());
        if (held != null && expected.contains(entry.getKey())) {
          shown(seeded, actor, next, held, resource, decision(seeded, actor, "TREAT", held));
        }
      }
      next = link(answer.body(), "next");
    }
    if (seen.size() != new HashSet<>(seen).size()) {
      violate(actor, person, "$everything", "gave a resource twice: " + seen);
    }
    compare(seeded, actor, "$everything (every page)", expected, new TreeSet<>(seen), "entries");
    if (provenanceSeen.size() != new HashSet<>(provenanceSeen).size()) {
      violate(actor, person, "$everything", "gave a Provenance twice: " + provenanceSeen);
    }
    compare(seeded, actor, "$everything (every page)", provenanceOf, new TreeSet<>(provenanceSeen),
        "Provenances (by target)");
  }

  // --- comparing ---------------------------------------------------------------------------------------------------

  /** The Bundle's entries of this search mode (null: every entry but OperationOutcomes) by reference; null on error. */
  Map<String, JsonNode> bundle(Seeded seeded, Actor actor, String path, Answer answer, String mode) {
    if (answer.status() != 200 || !"Bundle".equals(answer.body().path("resourceType").asText())) {
      violate(actor, seeded.person(), path, "answered " + answer.status() + " " + abbreviate(answer.raw()));
      return null;
    }
    Map<String, JsonNode> entries = new LinkedHashMap<>();
    boolean notice = false;
    for (JsonNode entry : answer.body().path("entry")) {
      JsonNode resource = entry.path("resource");
      String type = resource.path("resourceType").asText();
      if ("OperationOutcome".equals(type)) {
        notice = true;
        continue;
      }
      if (mode == null || mode.equals(entry.path("search").path("mode").asText())) {
        entries.put(type + "/" + resource.path("id").asText(), resource);
      }
    }
    if (!notice && !path.contains("_summary=count") && !path.contains("$everything")) {
      violate(actor, seeded.person(), path, "a search Bundle without the may-be-withheld notice");
    }
    return entries;
  }

  void compare(Seeded seeded, Actor actor, String path, Set<String> expected, Set<String> actual, String what) {
    disclosures.addAndGet(Math.max(expected.size(), actual.size()) + 1);
    Set<String> leaked = without(actual, expected);
    Set<String> missing = without(expected, actual);
    if (!leaked.isEmpty()) {
      violate(actor, seeded.person(), path, what + " beyond the policy: " + describe(seeded, actor, leaked));
    }
    if (!missing.isEmpty()) {
      violate(actor, seeded.person(), path, what + " the policy permits were denied: "
          + describe(seeded, actor, missing));
    }
  }

  String describe(Seeded seeded, Actor actor, Set<String> references) {
    return references.stream().map(r -> {
      Held held = byReference(seeded, r);
      return held == null ? r : held.key() + " " + held.labels() + " "
          + decision(seeded, actor, "TREAT", held).rule();
    }).collect(Collectors.joining(", "));
  }

  static Held byReference(Seeded seeded, String reference) {
    return seeded.held().stream().filter(h -> reference.equals(h.type() + "/" + h.id())).findFirst().orElse(null);
  }

  static Set<String> without(Set<String> from, Set<String> minus) {
    Set<String> rest = new TreeSet<>(from);
    rest.removeAll(minus);
    return rest;
  }

  static String link(JsonNode bundle, String relation) {
    for (JsonNode link : bundle.path("link")) {
      if (relation.equals(link.path("relation").asText())) {
        return link.path("url").asText();
      }
    }
    return null;
  }

  void violate(Actor actor, Person person, String path, String what) {
    violations.add(actor.user() + " (" + actor.organization() + ") about " + person.id() + " [team "
        + new TreeSet<>(person.careTeam()) + (person.restrictedBy() != null ? ", restricted" : "") + ", consents "
        + person.consents().stream().map(c -> c.review() + (c.active() ? "" : " withdrawn") + " " + c.root())
        .toList() + "] " + path.replace(Services.CARE_RECORD, "") + ": " + what);
  }

  Answer get(Actor actor, String pathOrUrl, String purpose) throws Exception {
    String url = pathOrUrl.startsWith("http") ? pathOrUrl
        : Services.CARE_RECORD + (pathOrUrl.startsWith("/") ? "" : "/") + pathOrUrl;
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + tokens.get(actor.user())).header("Accept", "application/fhir+json");
    if (!"TREAT".equals(purpose)) {
      request.header("X-Purpose-Of-Use", purpose);
    }
    HttpResponse<String> response = http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    requests.incrementAndGet();
    String raw = response.body();
    JsonNode body;
    try {
      body = raw == null || raw.isBlank() ? JSON.createObjectNode() : JSON.readTree(raw);
    } catch (Exception e) {
      body = JSON.createObjectNode();
    }
    return new Answer(response.statusCode(), body, raw == null ? "" : raw);
  }

  static Set<String> strings(JsonNode array) {
    Set<String> values = new TreeSet<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  static String abbreviate(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "…";
  }

  static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
