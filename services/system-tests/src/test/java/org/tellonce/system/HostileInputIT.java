package org.tellonce.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.Consents;
import org.tellonce.testing.SharingAgreements;
import org.tellonce.testing.Tokens;

/**
 * Hostile input (make verify-input): at least 500 inputs per FHIR-facing service — structure-aware mutations of valid
 * resources (unknown elements, wrong JSON kinds, codes and dates out of range, truncation, wrong or missing
 * resourceType, invalid NHS numbers, nesting beyond the limit), bodies that are not FHIR JSON (XML with external
 * entities and entity expansion, oversized, empty, wrong content types), forged, tampered, unsigned and foreign tokens,
 * and injection in search parameters and headers. Every one must be answered 4xx with an OperationOutcome — never
 * 2xx, never 5xx — and the services' stores must be exactly as they were (compared table by table before and after).
 * The last line reads "N requests, M services, V violations".
 */
class HostileInputIT {

  static final JsonMapper JSON = JsonMapper.builder().build();
  static final int PER_SERVICE = 500;
  static final String POSTGRES = "jdbc:postgresql://127.0.0.1:"
      + System.getenv().getOrDefault("TELLONCE_POSTGRES_PORT", "15432") + "/";
  /** The tables a write changes, per service database (audit trails and Kafka projections are expected to move). */
  static final Map<String, List<String>> STORES = Map.of(
      "identity", List.of("person", "person_identifier", "care_team", "directory_resource", "person_merge"),
      "consent", List.of("consent_record", "consent_version", "break_glass", "sharing_agreement",
          "capacity_assessment"),
      "care_record", List.of("record_resource", "record_version", "record_index"),
      "referral", List.of("referral", "referral_task", "referral_history", "bars_message"));

  /** A valid write: where it goes and its body. */
  record Seed(String service, String baseUri, String path, String user, String json) {}

  /** One hostile request. */
  record Input(String service, String kind, String method, String baseUri, String path, String token,
      Map<String, String> headers, byte[] body) {}

  final Random random = new Random(20261203L);
  final List<String> violations = new ArrayList<>();

  static Seed seed(String service, String baseUri, String path, String user, String json) {
    return new Seed(service, baseUri, path, user, json);
  }

  List<Seed> seeds(String personId) {
    String patient = "Patient/" + personId;
    return List.of(
        seed("identity", Services.IDENTITY, "/fhir/Patient", "nurse.mht", """
            {"resourceType":"Patient","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"%s"}],
             "name":[{"use":"official","family":"Hostile","given":["Hal"]}],"gender":"male","birthDate":"1970-01-01",
             "address":[{"line":["1 High Street"],"postalCode":"RV1 2AB"}]}""".formatted(People.nhsNumber())),
        seed("identity", Services.IDENTITY, "/fhir/CareTeam", "nurse.mht", """
            {"resourceType":"CareTeam","status":"active","subject":{"reference":"%s"},
             "participant":[{"member":{"identifier":{"system":"%s","value":"MHT01"}}}]}""".formatted(patient,
            Consents.ODS)),
        seed("consent", Services.CONSENT, "/fhir/Consent", "nurse.mht", Consents.objection(personId, "LA001",
            "active")),
        seed("care-record", Services.CARE_RECORD, "/fhir/AllergyIntolerance", "nurse.mht", """
            {"resourceType":"AllergyIntolerance","clinicalStatus":{"coding":[{"system":
             "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical","code":"active"}]},
             "criticality":"high","code":{"text":"Latex"},"patient":{"reference":"%s"},"recordedDate":"2026-01-02"}
            """.formatted(patient)),
        seed("care-record", Services.CARE_RECORD, "/fhir/Observation", "nurse.mht", """
            {"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org",
             "code":"8867-4"}]},"subject":{"reference":"%s"},"effectiveDateTime":"2026-01-02T10:00:00Z",
             "valueQuantity":{"value":72,"unit":"/min","system":"http://unitsofmeasure.org","code":"/min"}}
            """.formatted(patient)),
        seed("referral", Services.REFERRAL, "/fhir/ServiceRequest", "nurse.mht", """
            {"resourceType":"ServiceRequest","status":"active","intent":"order","priority":"urgent",
             "category":[{"coding":[{"system":"https://fhir.tellonce.org/CodeSystem/service-category",
             "code":"mental-health"}]}],"code":{"text":"Low mood"},"subject":{"reference":"%s"}}
            """.formatted(patient)));
  }

  // ---- structure-aware mutations: each one makes the resource invalid ----

  /** Every node of the tree with the path to it (object fields and array items). */
  static void nodes(JsonNode node, String path, Map<String, JsonNode> found) {
    found.put(path, node);
    if (node.isObject()) {
      node.fields().forEachRemaining(field -> nodes(field.getValue(), path + "/" + field.getKey(), found));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        nodes(node.get(i), path + "/" + i, found);
      }
    }
  }

  static void replace(ObjectNode root, String path, JsonNode value) {
    int cut = path.lastIndexOf('/');
    JsonNode parent = root.at(path.substring(0, cut));
    String last = path.substring(cut + 1);
    if (parent.isArray()) {
      ((ArrayNode) parent).set(Integer.parseInt(last), value);
    } else {
      ((ObjectNode) parent).set(last, value);
    }
  }

  /** One random mutation of the seed that no FHIR R4 parser in strict mode accepts. */
  String mutate(String seed) throws Exception {
    ObjectNode root = (ObjectNode) JSON.readTree(seed);
    Map<String, JsonNode> found = new LinkedHashMap<>();
    nodes(root, "", found);
    List<String> paths = new ArrayList<>(found.keySet());
    paths.remove("");
    paths.remove("/resourceType");
    String path = paths.get(random.nextInt(paths.size()));
    JsonNode node = found.get(path);
    switch (random.nextInt(5)) {
      case 0 -> {
        // an element FHIR does not define, in any object of the resource
        List<String> objects = paths.stream().filter(p -> found.get(p).isObject()).toList();
        String at = objects.isEmpty() || random.nextBoolean() ? "" : objects.get(random.nextInt(objects.size()));
        ((ObjectNode) root.at(at)).put("unknown" + random.nextInt(1000), random.nextBoolean() ? "x" : "1");
      }
      case 1 -> replace(root, path, node.isValueNode()
          ? JSON.createObjectNode().put("value", random.nextInt())   // a primitive given an object
          : JSON.getNodeFactory().textNode("x" + random.nextInt()));  // a complex element given a string
      case 2 -> replace(root, path, node.isValueNode()
          ? JSON.createArrayNode().add(JSON.createArrayNode().add(1))  // a nested array where a value belongs
          : JSON.getNodeFactory().numberNode(random.nextInt()));
      case 3 -> {
        // a code, date or boolean out of its range
        List<String> codes = paths.stream().filter(p -> p.endsWith("/status") || p.endsWith("/gender")
            || p.endsWith("/intent") || p.endsWith("/priority") || p.endsWith("/criticality")
            || p.endsWith("/birthDate") || p.endsWith("Date") || p.endsWith("DateTime") || p.endsWith("/use"))
            .toList();
        String target = codes.isEmpty() ? "/resourceType" : codes.get(random.nextInt(codes.size()));
        replace(root, target, JSON.getNodeFactory().textNode(List.of("not-a-code", "2026-13-45", "yesterday",
            "ACTIVE ", "1970-02-30T25:61:00Z", "\u0000").get(random.nextInt(6))));
      }
      default -> root.put("resourceType", List.of("Bogus", "patient", "", "Patient ", "Bundle\u0000").get(
          random.nextInt(5)));
    }
    return JSON.writeValueAsString(root);
  }

  // ---- tokens that must not be honoured ----

  static String base64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  static List<String> forgedTokens() throws Exception {
    String real = Tokens.user("nurse.mht");
    String[] parts = real.split("\\.");
    ObjectNode claims = (ObjectNode) JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    ObjectNode header = (ObjectNode) JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
    List<String> tokens = new ArrayList<>();
    tokens.add("");
    tokens.add("garbage");
    tokens.add(parts[0] + "." + parts[1]);                                            // no signature
    tokens.add(base64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".");  // alg none
    tokens.add(base64("{\"alg\":\"none\"}") + "." + parts[1] + "." + parts[2]);       // alg none, old signature
    for (Map.Entry<String, JsonNode> change : Map.<String, JsonNode>of(
        "org", JSON.getNodeFactory().textNode("GPP01"),
        "exp", JSON.getNodeFactory().numberNode(1_000_000_000L),
        "aud", JSON.getNodeFactory().textNode("someone-else"),
        "iss", JSON.getNodeFactory().textNode("https://evil.example/realms/tellonce"),
        "realm_access", JSON.createObjectNode().set("roles", JSON.createArrayNode().add("admin"))).entrySet()) {
      ObjectNode forged = claims.deepCopy();
      forged.set(change.getKey(), change.getValue());
      tokens.add(parts[0] + "." + base64(forged.toString()) + "." + parts[2]);        // tampered, signature kept
    }
    ObjectNode hmac = header.deepCopy().put("alg", "HS256");
    tokens.add(base64(hmac.toString()) + "." + parts[1] + "." + parts[2]);             // algorithm confusion
    tokens.add(parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 4) + "AAAA");
    return tokens;
  }

  // ---- bodies that are not FHIR JSON ----

  static final String XXE = """
      <?xml version="1.0"?><!DOCTYPE Patient [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
      <Patient xmlns="http://hl7.org/fhir"><name><family value="&xxe;"/></name></Patient>""";
  static final String LAUGHS = """
      <?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
      <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
      <Patient xmlns="http://hl7.org/fhir"><name><family value="&lol3;"/></name></Patient>""";

  static String nested(int depth) {
    return "{\"resourceType\":\"Basic\",\"extension\":[" + "{\"url\":\"http://x\",\"extension\":[".repeat(depth)
        + "]}".repeat(depth) + "]}";
  }

  List<Input> inputs(String personId) throws Exception {
    List<Input> inputs = new ArrayList<>();
    List<String> tokens = forgedTokens();
    String nurse = Tokens.user("nurse.mht");
    Map<String, String> json = Map.of("Content-Type", "application/fhir+json");
    for (String service : List.of("identity", "consent", "care-record", "referral")) {
      List<Seed> seeds = seeds(personId).stream().filter(seed -> seed.service().equals(service)).toList();
      Seed first = seeds.get(0);
      List<Input> mine = new ArrayList<>();
      // not FHIR JSON
      for (Map.Entry<String, String> body : Map.of("xxe-as-xml", XXE, "laughs-as-xml", LAUGHS).entrySet()) {
        mine.add(new Input(service, body.getKey(), "POST", first.baseUri(), first.path(), nurse,
            Map.of("Content-Type", "application/fhir+xml"), body.getValue().getBytes(StandardCharsets.UTF_8)));
        mine.add(new Input(service, body.getKey() + "-as-json", "POST", first.baseUri(), first.path(), nurse, json,
            body.getValue().getBytes(StandardCharsets.UTF_8)));
      }
      for (String body : List.of("", "null", "[]", "\"Patient\"", "12345", "{", "{}", "{\"resourceType\":42}",
          nested(1500), "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + "x".repeat(2_200_000) + "\"}]}")) {
        mine.add(new Input(service, "not-fhir-json", "POST", first.baseUri(), first.path(), nurse, json,
            body.getBytes(StandardCharsets.UTF_8)));
      }
      mine.add(new Input(service, "invalid-utf8", "POST", first.baseUri(), first.path(), nurse, json,
          new byte[] {'{', '"', 'r', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}));
      for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "application/octet-stream")) {
        mine.add(new Input(service, "content-type", "POST", first.baseUri(), first.path(), nurse,
            Map.of("Content-Type", type), first.json().getBytes(StandardCharsets.UTF_8)));
      }
      // tokens, on a write and on a read
      for (String token : tokens) {
        mine.add(new Input(service, "token", "POST", first.baseUri(), first.path(), token, json,
            first.json().getBytes(StandardCharsets.UTF_8)));
        mine.add(new Input(service, "token", "GET", first.baseUri(), first.path() + "?_count=1", token, Map.of(),
            null));
      }
      // search parameters and headers
      for (String query : List.of("_count=-1", "_count=abc", "_count=99999999999999", "_sort=;drop%20table",
          "_lastUpdated=ge2026-13-45", "_lastUpdated=yesterday", "_id=%27%20OR%201%3D1--", "_include=*:*",
          "_summary=bogus", "_total=maybe", "unknownparam=1", "patient=%27%3B%20drop%20table%20x--",
          "subject=Patient%2F..%2F..%2Fetc%2Fpasswd", "date=ge%00", "_elements=%3Cscript%3E")) {
        mine.add(new Input(service, "search", "GET", first.baseUri(), first.path() + "?" + query, nurse, Map.of(),
            null));
      }
      if (service.equals("care-record")) {
        // conditional create (care-record's): a condition that is not identifier=system|value
        for (String condition : List.of("=%00", "identifier=", "_id=1", "identifier=" + "x".repeat(300), "foo")) {
          mine.add(new Input(service, "header", "POST", first.baseUri(), first.path(), nurse,
              Map.of("Content-Type", "application/fhir+json", "If-None-Exist", condition),
              first.json().getBytes(StandardCharsets.UTF_8)));
        }
      }
      mine.add(new Input(service, "header", "PUT", first.baseUri(), first.path() + "/00000000-0000-0000-0000-000000000000",
          nurse, Map.of("Content-Type", "application/fhir+json", "If-Match", "W/\"'; drop table x--\""),
          first.json().getBytes(StandardCharsets.UTF_8)));
      // a Patient's NHS number that is not one
      if (service.equals("identity")) {
        for (String nhs : List.of("9434765918", "943476591", "94347659190", "ABCDEFGHIJ", "0000000000 ", "")) {
          mine.add(new Input(service, "nhs-number", "POST", first.baseUri(), first.path(), nurse, json,
              first.json().replaceFirst("\"value\":\"\\d{10}\"", "\"value\":\"" + nhs + "\"")
                  .getBytes(StandardCharsets.UTF_8)));
        }
      }
      // structure-aware mutations of the service's valid resources, until the service has its share
      Set<String> bodies = new LinkedHashSet<>();
      while (mine.size() < PER_SERVICE) {
        Seed seed = seeds.get(random.nextInt(seeds.size()));
        String body = mutate(seed.json());
        if (random.nextInt(10) == 0) {
          body = body.substring(0, 1 + random.nextInt(body.length() - 2));  // truncated
        }
        if (bodies.add(seed.path() + body)) {
          mine.add(new Input(service, "mutation", "POST", seed.baseUri(), seed.path(), Tokens.user(seed.user()), json,
              body.getBytes(StandardCharsets.UTF_8)));
        }
      }
      inputs.addAll(mine);
    }
    return inputs;
  }

  /** Each store's tables: row count and a digest of their content. */
  static Map<String, String> fingerprint() throws Exception {
    Map<String, String> prints = new TreeMap<>();
    for (Map.Entry<String, List<String>> store : STORES.entrySet()) {
      try (Connection connection = DriverManager.getConnection(POSTGRES + store.getKey(), "postgres", "")) {
        for (String table : store.getValue()) {
          // a digest of the rows' digests: one string of every row would pass PostgreSQL's 1 GB limit on a store
          // that benchmarks have filled
          try (ResultSet rows = connection.createStatement().executeQuery("select count(*), md5(coalesce(string_agg("
              + "h, ',' order by h), '')) from (select md5(t::text) as h from " + table + " t) r")) {
            rows.next();
            prints.put(store.getKey() + "." + table, rows.getLong(1) + "/" + rows.getString(2));
          }
        }
      }
    }
    return prints;
  }

  void check(Input input, int status, String body) {
    String what = input.service() + " " + input.kind() + " " + input.method() + " " + input.path() + " -> " + status;
    if (status >= 500) {
      violations.add(what + " (a server error): " + abbreviate(body));
    } else if (status < 400) {
      boolean emptySearch = input.kind().equals("search") && status == 200 && !body.contains("\"search\":{\"mode\":"
          + "\"match\"}");
      if (!emptySearch) {
        violations.add(what + " (accepted) " + (input.body() == null ? "" : abbreviate(new String(input.body(),
            StandardCharsets.UTF_8))) + " => " + abbreviate(body));
      }
    } else if (!body.contains("\"resourceType\":\"OperationOutcome\"")) {
      violations.add(what + " (no OperationOutcome): " + abbreviate(body));
    }
  }

  static String abbreviate(String text) {
    return text.length() > 300 ? text.substring(0, 300) + "…" : text;
  }

  @Test
  void everyHostileInputIsRefusedWithAnOperationOutcomeAndChangesNothing() throws Exception {
    SharingAgreements.ensure(Services.CONSENT);
    String personId = People.register("nurse.mht", "Hostile", "Hal", "1970-01-01");
    People.careTeam("nurse.mht", personId, "MHT01");
    List<Input> inputs = inputs(personId);
    Map<String, String> before = fingerprint();
    Map<String, Integer> perService = new TreeMap<>();
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (Input input : inputs) {
      // the exact bytes and headers, as a hostile client sends them (no client-side encoding or charset added)
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(input.baseUri() + input.path()))
          .method(input.method(), input.body() == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(input.body()));
      if (input.token() != null) {
        request.header("Authorization", "Bearer " + input.token());
      }
      input.headers().forEach(request::header);
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      check(input, response.statusCode(), response.body());
      perService.merge(input.service(), 1, Integer::sum);
    }
    Map<String, String> after = fingerprint();
    before.forEach((table, print) -> {
      if (!print.equals(after.get(table))) {
        violations.add(table + " changed: " + print + " -> " + after.get(table));
      }
    });
    violations.forEach(System.out::println);
    System.out.println(inputs.size() + " requests, " + perService.size() + " services, " + violations.size()
        + " violations");
    assertThat(perService.values()).allSatisfy(count -> assertThat(count).isGreaterThanOrEqualTo(PER_SERVICE));
    assertThat(violations).isEmpty();
  }
}
