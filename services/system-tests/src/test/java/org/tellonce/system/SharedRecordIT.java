package org.tellonce.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.EventContracts;
import org.tellonce.testing.EventProbe;
import org.tellonce.testing.SharingAgreements;
import org.tellonce.testing.Tokens;

/**
 * The shared record as a FHIR store, against the running services: versions, If-Match, delete, history; searches by
 * token, date and status with stable keyset paging; and what the consent decision allows turned into the query, so a
 * page is full, a total counts only what the caller may see, and includes and replayed links disclose nothing more.
 */
class SharedRecordIT {

  private static final String ODS = "https://fhir.nhs.uk/Id/ods-organization-code";
  private static final String PSY = """
      "meta":{"security":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"PSY"}]},""";

  @BeforeAll
  static void underTheIcsAgreement() {
    SharingAgreements.ensure(Services.CONSENT);
  }

  static RequestSpecification as(String user) {
    return given().auth().oauth2(Tokens.user(user)).contentType("application/fhir+json")
        .config(RestAssuredConfig.config().encoderConfig(EncoderConfig.encoderConfig()
            .appendDefaultContentCharsetToContentTypeIfUndefined(false)))
        .urlEncodingEnabled(false);
  }

  static RequestSpecification record(String user) {
    return as(user).baseUri(Services.CARE_RECORD);
  }

  /** A person whose care team is the trust (MHT01) and the council (LA001), once the record's gate knows it. */
  static String person() {
    String personId = People.register("nurse.mht", "Record", "Sam", "1970-05-06");
    People.careTeam("nurse.mht", personId, "MHT01", "LA001");
    String probe = write("nurse.mht", "Flag", """
        {"resourceType":"Flag","status":"active","code":{"text":"probe"},"subject":{"reference":"Patient/%s"}}
        """.formatted(personId));
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() ->
        record("sw.council").get("/fhir/Flag/" + probe).statusCode() == 200);
    return personId;
  }

  static String write(String user, String type, String json) {
    return record(user).body(json).post("/fhir/" + type).then().statusCode(201).extract().path("id");
  }

  static JsonPath get(String user, String url) {
    return record(user).get(url).then().statusCode(200).extract().jsonPath();
  }

  static List<String> ids(JsonPath bundle, String mode) {
    List<String> ids = new ArrayList<>();
    List<Map<String, Object>> entries = bundle.getList("entry");
    for (Map<String, Object> entry : entries == null ? List.<Map<String, Object>>of() : entries) {
      @SuppressWarnings("unchecked")
      Map<String, Object> search = (Map<String, Object>) entry.get("search");
      @SuppressWarnings("unchecked")
      Map<String, Object> resource = (Map<String, Object>) entry.get("resource");
      if (search != null && mode.equals(search.get("mode"))) {
        ids.add(resource.get("resourceType") + "/" + resource.get("id"));
      }
    }
    return ids;
  }

  static String link(JsonPath bundle, String relation) {
    List<Map<String, String>> links = bundle.getList("link");
    return links.stream().filter(l -> relation.equals(l.get("relation"))).map(l -> l.get("url")).findFirst()
        .orElse(null);
  }

  static String observation(String personId, String code, String date, boolean sensitive) {
    return """
        {"resourceType":"Observation","status":"final",%s
         "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"survey"}]}],
         "code":{"coding":[{"system":"http://snomed.info/sct","code":"%s"}]},
         "effectiveDateTime":"%s","subject":{"reference":"Patient/%s"}}
        """.formatted(sensitive ? PSY : "", code, date, personId);
  }

  @Test
  void keepsEveryVersionChecksIfMatchAndDeletesSoftly() throws Exception {
    String personId = person();
    String condition = """
        {"resourceType":"Condition",%s
         "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"%s"}]},
         "code":{"text":"%s"},"subject":{"reference":"Patient/%s"}}
        """;
    String id = write("nurse.mht", "Condition", condition.formatted("", "active", "Asthma", personId));
    record("nurse.mht").header("If-Match", "W/\"1\"")
        .body(condition.formatted("\"id\":\"" + id + "\",", "resolved", "Asthma, resolved", personId))
        .put("/fhir/Condition/" + id)
        .then().statusCode(200).header("ETag", equalTo("W/\"2\"")).body("meta.versionId", equalTo("2"));
    record("nurse.mht").header("If-Match", "W/\"1\"")
        .body(condition.formatted("\"id\":\"" + id + "\",", "active", "Lost update", personId))
        .put("/fhir/Condition/" + id)
        .then().statusCode(412).body("issue[0].diagnostics", containsString("version 2"));
    record("nurse.mht").get("/fhir/Condition/" + id + "/_history/1")
        .then().statusCode(200).body("code.text", equalTo("Asthma")).body("meta.versionId", equalTo("1"));
    // The council may see it but did not record it: it may not change it.
    record("sw.council").body(condition.formatted("\"id\":\"" + id + "\",", "active", "Changed", personId))
        .put("/fhir/Condition/" + id)
        .then().statusCode(403).body("issue[0].diagnostics", containsString("MHT01"));

    JsonPath withProvenance = get("nurse.mht", "/fhir/Condition?subject=" + personId + "&_id=" + id
        + "&_revinclude=Provenance:target");
    assertThat(ids(withProvenance, "match")).containsExactly("Condition/" + id);
    assertThat(ids(withProvenance, "include")).hasSize(2).allMatch(ref -> ref.startsWith("Provenance/"));

    record("nurse.mht").delete("/fhir/Condition/" + id).then().statusCode(204);
    record("nurse.mht").get("/fhir/Condition/" + id).then().statusCode(410);
    record("nurse.mht").delete("/fhir/Condition/" + id).then().statusCode(204);
    JsonPath history = get("nurse.mht", "/fhir/Condition/" + id + "/_history");
    assertThat(history.getInt("total")).isEqualTo(3);
    assertThat(history.getList("entry.request.method")).containsExactly("DELETE", "PUT", "POST");
    assertThat(get("nurse.mht", "/fhir/Condition?subject=" + personId).getInt("total")).isZero();
    // Someone who may not see it cannot tell it was ever there.
    record("worker.vcse").get("/fhir/Condition/" + id).then().statusCode(404);
    record("worker.vcse").get("/fhir/Condition/" + id + "/_history").then().statusCode(404);

    // Each version was told on record.v1, metadata only, in the contract's shape.
    List<EventProbe.Event> events = EventProbe.await(Services.TOPIC_PREFIX + "record.v1",
        e -> personId.equals(e.key()) && e.data().contains(id), 3, Duration.ofSeconds(30));
    assertThat(events).extracting(e -> e.header("ce_type")).containsExactly("org.tellonce.record.created.v1",
        "org.tellonce.record.updated.v1", "org.tellonce.record.deleted.v1");
    for (EventProbe.Event event : events) {
      assertThat(EventContracts.problems(event)).isEmpty();
    }
    assertThat(events).noneMatch(e -> e.data().contains("Asthma"));
  }

  @Test
  void searchesByTokenDateAndStatusWithStablePaging() {
    String personId = person();
    for (int month = 1; month <= 7; month++) {
      write("nurse.mht", "Observation", observation(personId, month % 2 == 0 ? "1111" : "2222",
          "2024-0" + month + "-15T09:00:00Z", false));
    }
    String base = "/fhir/Observation?subject=" + personId;
    assertThat(get("nurse.mht", base + "&code=http://snomed.info/sct%7C2222").getInt("total")).isEqualTo(4);
    assertThat(get("nurse.mht", base + "&code=1111,2222&status=final").getInt("total")).isEqualTo(7);
    assertThat(get("nurse.mht", base + "&code=http://loinc.org%7C2222").getInt("total")).isZero();
    assertThat(get("nurse.mht", base + "&code:not=2222").getInt("total")).isEqualTo(3);
    assertThat(get("nurse.mht", base + "&date=ge2024-03&date=lt2024-06").getInt("total")).isEqualTo(3);
    assertThat(get("nurse.mht", base + "&date=2024-04").getInt("total")).isEqualTo(1);
    assertThat(get("nurse.mht", base + "&category=survey&_lastUpdated=ge2020-01-01").getInt("total")).isEqualTo(7);
    JsonPath counted = get("nurse.mht", base + "&_summary=count");
    assertThat(counted.getInt("total")).isEqualTo(7);
    assertThat(ids(counted, "match")).isEmpty();

    // Oldest first by clinical date, three at a time: every page full, nothing twice, nothing missed.
    JsonPath page = get("nurse.mht", base + "&_sort=date&_count=3");
    List<String> dates = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    int pages = 0;
    while (true) {
      pages++;
      List<String> matches = ids(page, "match");
      assertThat(seen).doesNotContainAnyElementsOf(matches);
      seen.addAll(matches);
      dates.addAll(page.getList("entry.findAll { it.search.mode == 'match' }.resource.effectiveDateTime"));
      assertThat(page.getInt("total")).isEqualTo(7);
      String next = link(page, "next");
      if (next == null) {
        break;
      }
      assertThat(matches).hasSize(3);
      page = get("nurse.mht", "/" + next);
    }
    assertThat(pages).isEqualTo(3);
    assertThat(seen).hasSize(7);
    assertThat(dates).isSorted();
  }

  @Test
  void whatTheCallerMayNotSeeIsFilteredBeforeTheQuery() {
    String mixed = person();
    String plain = person();
    for (int i = 1; i <= 5; i++) {
      write("nurse.mht", "Observation", observation(mixed, "3333", "2024-01-0" + i + "T09:00:00Z", i <= 3));
    }
    for (int i = 1; i <= 2; i++) {
      write("nurse.mht", "Observation", observation(plain, "3333", "2024-01-0" + i + "T09:00:00Z", false));
    }
    // The clinician sees all five; the social worker only the two without mental-health information, in full
    // pages, with a total that counts only those, and no link to a page that would be empty.
    assertThat(get("nurse.mht", "/fhir/Observation?subject=" + mixed).getInt("total")).isEqualTo(5);
    JsonPath council = get("sw.council", "/fhir/Observation?subject=" + mixed + "&_count=2");
    assertThat(council.getInt("total")).isEqualTo(2);
    assertThat(ids(council, "match")).hasSize(2);
    assertThat(link(council, "next")).isNull();
    // A person with nothing withheld looks exactly the same: nothing tells that something was withheld.
    JsonPath alike = get("sw.council", "/fhir/Observation?subject=" + plain + "&_count=2");
    assertThat(shape(council)).isEqualTo(shape(alike));

    // A link the clinician was given, replayed by the social worker, shows the social worker's view only.
    JsonPath nurse = get("nurse.mht", "/fhir/Observation?subject=" + mixed + "&_count=2&_sort=date");
    String next = link(nurse, "next");
    JsonPath replayed = get("sw.council", "/" + next);
    assertThat(replayed.getInt("total")).isEqualTo(2);
    assertThat(replayed.getList("entry.resource.meta.security.flatten().code")).doesNotContain("PSY");
    assertThat(get("sw.council", "/fhir/Observation?subject=" + mixed + "&_summary=count").getInt("total"))
        .isEqualTo(2);
  }

  private static List<Object> shape(JsonPath bundle) {
    return List.of(bundle.getInt("total"), bundle.getList("entry.search.mode"),
        bundle.getList("entry.findAll { it.search.mode == 'outcome' }.resource.issue.flatten().diagnostics"),
        bundle.getList("link.relation"));
  }

  @Test
  void includesFollowReferencesOnlyToWhatTheCallerMaySee() {
    String personId = person();
    String goal = """
        {"resourceType":"Goal",%s"lifecycleStatus":"active","description":{"text":"%s"},
         "subject":{"reference":"Patient/%s"}}
        """;
    String walking = write("nurse.mht", "Goal", goal.formatted("", "Walk to the shop", personId));
    String mood = write("nurse.mht", "Goal", goal.formatted(PSY, "Mood", personId));
    String plan = write("nurse.mht", "CarePlan", """
        {"resourceType":"CarePlan","status":"active","intent":"plan","subject":{"reference":"Patient/%s"},
         "goal":[{"reference":"Goal/%s"},{"reference":"Goal/%s"}]}
        """.formatted(personId, walking, mood));
    String query = "/fhir/CarePlan?subject=" + personId + "&_include=CarePlan:goal";
    assertThat(ids(get("nurse.mht", query), "include")).containsExactlyInAnyOrder("Goal/" + walking, "Goal/" + mood);
    JsonPath council = get("sw.council", query);
    assertThat(ids(council, "match")).containsExactly("CarePlan/" + plan);
    assertThat(ids(council, "include")).containsExactly("Goal/" + walking);

    // $everything: all the caller may see of the person, restricted by _type when asked.
    JsonPath everything = get("sw.council", "/fhir/Patient/" + personId + "/$everything");
    assertThat(ids(everything, "match")).contains("CarePlan/" + plan, "Goal/" + walking)
        .doesNotContain("Goal/" + mood);
    JsonPath goals = get("nurse.mht", "/fhir/Patient/" + personId + "/$everything?_type=Goal");
    assertThat(ids(goals, "match")).containsExactlyInAnyOrder("Goal/" + walking, "Goal/" + mood);
  }

  @Test
  void aConditionalCreateIsIdempotentAndATaskOwnerMayReportProgress() {
    String personId = person();
    String task = """
        {"resourceType":"Task",%s"status":"%s","intent":"order",
         "identifier":[{"system":"https://mht.example.nhs.uk/mdt-action","value":"%s"}],
         "description":"Arrange a carer's assessment","for":{"reference":"Patient/%s"},
         "owner":{"identifier":{"system":"%s","value":"LA001"}}}
        """;
    String action = "A-" + java.util.UUID.randomUUID();
    String header = "identifier=https://mht.example.nhs.uk/mdt-action|" + action;
    String id = record("nurse.mht").header("If-None-Exist", header)
        .body(task.formatted("", "requested", action, personId, ODS))
        .post("/fhir/Task").then().statusCode(201).extract().path("id");
    record("nurse.mht").header("If-None-Exist", header).body(task.formatted("", "requested", action, personId, ODS))
        .post("/fhir/Task").then().statusCode(200).body("id", equalTo(id));
    assertThat(get("nurse.mht", "/fhir/Task?patient=" + personId + "&identifier=" + action).getInt("total"))
        .isEqualTo(1);
    // The same identifier for another person is a mistake, not a match.
    record("nurse.mht").header("If-None-Exist", header).body(task.formatted("", "requested", action, person(), ODS))
        .post("/fhir/Task").then().statusCode(412);
    record("sw.council").body(task.formatted("\"id\":\"" + id + "\",", "in-progress", action, personId, ODS))
        .put("/fhir/Task/" + id).then().statusCode(200).body("meta.versionId", equalTo("2"));
    assertThat(get("nurse.mht", "/fhir/Task?patient=" + personId + "&status=in-progress").getInt("total"))
        .isEqualTo(1);
  }

  @Test
  void aTransactionIsAllOrNothingAndABatchAnswersEachEntry() {
    String personId = person();
    String flag = """
        {"resourceType":"Flag",%s"status":"%s","code":{"text":"Risk of falls"},"subject":{"reference":"Patient/%s"}}
        """;
    String id = write("nurse.mht", "Flag", flag.formatted("", "active", personId));
    String update = flag.formatted("\"id\":\"" + id + "\",", "inactive", personId);
    String create = flag.formatted("", "active", personId);
    // A stale If-Match on one entry: the whole transaction is refused, the create beside it is not stored either.
    record("nurse.mht").body("""
        {"resourceType":"Bundle","type":"transaction","entry":[
          {"resource":%s,"request":{"method":"POST","url":"Flag"}},
          {"resource":%s,"request":{"method":"PUT","url":"Flag/%s","ifMatch":"W/\\"7\\""}}]}
        """.formatted(create, update, id))
        .post("/fhir").then().statusCode(412)
        .body("issue[0].diagnostics", containsString("Entry 1"));
    assertThat(get("nurse.mht", "/fhir/Flag?subject=" + personId + "&code=Risk").getInt("total")).isZero();
    JsonPath done = record("nurse.mht").body("""
        {"resourceType":"Bundle","type":"transaction","entry":[
          {"resource":%s,"request":{"method":"POST","url":"Flag"}},
          {"resource":%s,"request":{"method":"PUT","url":"Flag/%s","ifMatch":"W/\\"1\\""}}]}
        """.formatted(create, update, id))
        .post("/fhir").then().statusCode(200).extract().jsonPath();
    assertThat(done.getList("entry.response.status")).containsExactly("201 Created", "200 OK");
    record("nurse.mht").get("/fhir/Flag/" + id).then().statusCode(200).body("status", equalTo("inactive"));

    // A batch: each entry stands alone; one refused does not stop the others.
    JsonPath batch = record("sw.council").body("""
        {"resourceType":"Bundle","type":"batch","entry":[
          {"resource":%s,"request":{"method":"POST","url":"Flag"}},
          {"resource":%s,"request":{"method":"PUT","url":"Flag/%s"}},
          {"request":{"method":"DELETE","url":"Flag/00000000-0000-0000-0000-000000000000"}}]}
        """.formatted(create, update, id))
        .post("/fhir").then().statusCode(200).extract().jsonPath();
    assertThat(batch.getString("type")).isEqualTo("batch-response");
    assertThat(batch.getList("entry.response.status")).containsExactly("201 Created", "403 Forbidden",
        "404 Not Found");
    assertThat(batch.getString("entry[1].response.outcome.issue[0].diagnostics")).contains("MHT01");
  }

  @Test
  void raisingASafeguardingConcernTellsTheEscalationRoute() throws Exception {
    String personId = person();
    String flag = write("sw.council", "Flag", """
        {"resourceType":"Flag","status":"active",
         "meta":{"security":[{"system":"https://tellonce.org/fhir/CodeSystem/sensitivity","code":"safeguarding"}]},
         "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/flag-category","code":"safety"}]}],
         "code":{"text":"Concern about financial abuse"},"subject":{"reference":"Patient/%s"}}
        """.formatted(personId));
    List<EventProbe.Event> raised = EventProbe.await(Services.TOPIC_PREFIX + "record.v1",
        e -> personId.equals(e.key()) && "org.tellonce.record.safeguarding.raised.v1".equals(e.header("ce_type")), 1,
        Duration.ofSeconds(30));
    assertThat(raised).hasSize(1);
    assertThat(raised.get(0).data()).contains(flag).contains("\"raisedBy\":\"LA001\"").doesNotContain("abuse");
    assertThat(EventContracts.problems(raised.get(0))).isEmpty();
    // Consent follows record.v1 for episodes of care; an alert on the same topic is not a dead letter to it.
    assertThat(EventProbe.await(Services.TOPIC_PREFIX + "record.v1.consent.dlq", e -> e.data().contains(flag), 1,
        Duration.ofSeconds(5))).isEmpty();
  }
}
