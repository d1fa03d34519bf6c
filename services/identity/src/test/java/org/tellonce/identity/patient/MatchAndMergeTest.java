package org.tellonce.identity.patient;

import org.tellonce.platform.person.NhsNumber;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.testing.EventContracts;
import org.tellonce.testing.EventProbe;
import org.tellonce.testing.NhsNumbers;
import org.tellonce.testing.TellonceInfra;
import org.tellonce.testing.Tokens;

@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "identity_test"))
public class MatchAndMergeTest {

  static final String GRADE = "search.extension.find { it.url == 'http://hl7.org/fhir/StructureDefinition/match-grade' }.valueCode";

  @Test
  void matchOnAKnownNhsNumberIsCertain() {
    Patient person = People.person();
    String id = People.register(person);
    Patient query = People.person(People.nhs(person), "Different", "Name", People.birthDate(), "male", null);

    match("sw.council", query, null, null)
        .body("total", equalTo(1))
        .body("entry[0].resource.id", equalTo(id))
        .body("entry[0].search.score", equalTo(1.0f))
        .body("entry[0]." + GRADE, equalTo("certain"));
  }

  @Test
  void matchScoresTyposTranspositionsAndSwappedNamesWithoutAnNhsNumber() {
    LocalDate born = LocalDate.of(1971, 3, 12);
    String family = People.name();
    String postcode = People.postcode();
    Patient person = People.person(NhsNumbers.random(), family, "Margaret", born, "female", postcode);
    String id = People.register(person);

    // a typo in the given name, same everything else: certain
    match("sw.council", People.person(null, family, "Margeret", born, "female", postcode), null, null)
        .body("entry[0].resource.id", equalTo(id))
        .body("entry[0]." + GRADE, equalTo("certain"));
    // the day's digits transposed, and moved house: probable
    match("sw.council", People.person(null, family, "Margaret", LocalDate.of(1971, 3, 21), "female",
        People.postcode()), null, null)
        .body("entry[0].resource.id", equalTo(id))
        .body("entry[0]." + GRADE, equalTo("probable"));
    // family and given swapped
    match("sw.council", People.person(null, "Margaret", family, born, "female", postcode), null, null)
        .body("entry[0].resource.id", equalTo(id))
        .body("entry[0]." + GRADE, equalTo("certain"));
    // only certain matches asked for, and a probable one is left out
    match("sw.council", People.person(null, family, "Margaret", LocalDate.of(1971, 3, 21), "female",
        People.postcode()), true, null)
        .body("total", equalTo(0));
    // somebody else entirely
    match("sw.council", People.person(null, People.name(), People.name(), born, "male", People.postcode()), null, null)
        .body("entry.resource.id", not(hasItem(id)));
  }

  @Test
  void twinsAreNeverACertainMatch() {
    String family = People.name();
    String postcode = People.postcode();
    LocalDate born = People.birthDate();
    String id = People.register(People.person(NhsNumbers.random(), family, "Jacob", born, "male", postcode));
    match("nurse.mht", People.person(null, family, "Esau", born, "male", postcode), null, null)
        .body("entry.find { it.resource.id == '" + id + "' }." + GRADE, not(equalTo("certain")));
  }

  @Test
  void aRestrictedPersonIsNotFoundByMatchingOutsideTheRecordingOrganisation() {
    Patient person = People.restricted(People.person());
    String id = People.register("nurse.mht", person);
    Patient query = People.person(null, person.getNameFirstRep().getFamily(),
        person.getNameFirstRep().getGivenAsSingleString(), LocalDate.parse(person.getBirthDateElement().getValueAsString()),
        "female", person.getAddressFirstRep().getPostalCode());
    match("sw.council", query, null, null).body("entry.resource.id", not(hasItem(id)));
    match("nurse.mht", query, null, null).body("entry[0].resource.id", equalTo(id));
  }

  @Test
  void matchRefusesMalformedParameters() {
    given().auth().oauth2(Tokens.user("nurse.mht")).contentType("application/fhir+json").urlEncodingEnabled(false)
        .body(Fhir.encode(new Parameters().addParameter("count", new IntegerType(3))))
        .post("/fhir/Patient/$match").then().statusCode(400).body("issue[0].diagnostics", containsString("resource"));
    Parameters tooMany = new Parameters();
    tooMany.addParameter().setName("resource").setResource(People.person());
    tooMany.addParameter("count", new IntegerType(5000));
    given().auth().oauth2(Tokens.user("nurse.mht")).contentType("application/fhir+json").urlEncodingEnabled(false)
        .body(Fhir.encode(tooMany)).post("/fhir/Patient/$match").then().statusCode(400);
  }

  @Test
  void registrationLinksACertainMatchAndOpensAReviewForAProbableOne() {
    String family = People.name();
    String postcode = People.postcode();
    LocalDate born = People.birthDate();
    LocalDate born12 = born.withDayOfMonth(12);
    String id = People.register(People.person(NhsNumbers.random(), family, "Eleanor", born12, "female", postcode));

    // The council registers her without an NHS number but with its own id: certain, so linked.
    Patient fromCouncil = People.person(null, family, "Eleanor", born12, "female", postcode);
    String councilId = People.councilId();
    fromCouncil.addIdentifier().setSystem(People.COUNCIL).setValue(councilId);
    People.post("sw.council", fromCouncil).then().statusCode(200)
        .header(PatientResource.MATCH_HEADER, equalTo("linked"))
        .body("id", equalTo(id))
        .body("identifier.value", hasItem(councilId));

    // A charity registers someone similar who has moved and whose birth date was transposed: a new record, reviewed.
    Patient fromCharity = People.person(null, family, "Eleanor", born.withDayOfMonth(21), "female", People.postcode());
    fromCharity.addIdentifier().setSystem(People.VCSE).setValue("C-" + People.name());
    String newId = People.post("nurse.mht", fromCharity).then().statusCode(201)
        .header(PatientResource.MATCH_HEADER, equalTo("review-opened"))
        .extract().path("id");

    String reviewId = reviews("open").extract().path("items.find { it.person == 'Patient/" + newId + "' }.id");
    assertThat(reviewId).isNotNull();
    given().auth().oauth2(Tokens.user("admin")).contentType("application/json")
        .body("{\"resolution\":\"linked\",\"note\":\"same person, confirmed by phone\"}")
        .post("/reviews/" + reviewId + "/resolve")
        .then().statusCode(200).body("status", equalTo("linked")).body("resolvedBy", equalTo("admin"));
    given().auth().oauth2(Tokens.user("admin")).contentType("application/json")
        .body("{\"resolution\":\"kept-apart\"}")
        .post("/reviews/" + reviewId + "/resolve")
        .then().statusCode(409);

    // the charity's record now points at the one already in the index
    given().auth().oauth2(Tokens.user("nurse.mht")).get("/fhir/Patient/" + newId).then().statusCode(200)
        .body("active", equalTo(false))
        .body("link[0].type", equalTo("replaced-by"))
        .body("link[0].other.reference", equalTo("Patient/" + id));
  }

  @Test
  void aReviewCanKeepTwoRecordsApart() {
    String family = People.name();
    LocalDate born = People.birthDate();
    People.register(People.person(NhsNumbers.random(), family, "Tomasz", born.withDayOfMonth(12), "male",
        People.postcode()));
    String newId = People.post("nurse.mht", People.person(null, family, "Tomasz", born.withDayOfMonth(21), "male",
        People.postcode()))
        .then().statusCode(201).header(PatientResource.MATCH_HEADER, equalTo("review-opened")).extract().path("id");
    String reviewId = reviews("open").extract().path("items.find { it.person == 'Patient/" + newId + "' }.id");
    given().auth().oauth2(Tokens.user("nurse.mht")).contentType("application/json")
        .body("{\"resolution\":\"kept-apart\",\"note\":\"different people\"}")
        .post("/reviews/" + reviewId + "/resolve")
        .then().statusCode(200).body("status", equalTo("kept-apart"));
    given().auth().oauth2(Tokens.user("nurse.mht")).get("/fhir/Patient/" + newId).then().statusCode(200)
        .body("active", not(equalTo(false)))
        .body("link", org.hamcrest.Matchers.nullValue());
    given().auth().oauth2(Tokens.user("nurse.mht")).contentType("application/json").body("{\"resolution\":\"maybe\"}")
        .post("/reviews/" + reviewId + "/resolve").then().statusCode(400);
    given().auth().oauth2(Tokens.user("worker.vcse")).get("/reviews").then().statusCode(403);
  }

  @Test
  void mergeKeepsTheSourceResolvingToTheTargetAndUnmergeUndoesIt() throws Exception {
    Patient source = People.person();
    Patient target = People.person();
    String sourceId = People.register(source);
    String targetId = People.register(target);
    String councilId = People.councilId();
    target.setId(targetId);
    target.addIdentifier().setSystem(People.COUNCIL).setValue(councilId);
    given().auth().oauth2(Tokens.user("nurse.mht")).contentType("application/fhir+json").body(Fhir.encode(target))
        .put("/fhir/Patient/" + targetId).then().statusCode(200);

    merge(sourceId, targetId, "Duplicate registration found by the ward clerk")
        .statusCode(200)
        .body("parameter.find { it.name == 'result' }.resource.id", equalTo(targetId))
        .body("parameter.find { it.name == 'result' }.resource.link[0].type", equalTo("replaces"));

    given().auth().oauth2(Tokens.user("nurse.mht")).get("/fhir/Patient/" + sourceId).then().statusCode(200)
        .body("active", equalTo(false))
        .body("link[0].type", equalTo("replaced-by"))
        .body("link[0].other.reference", equalTo("Patient/" + targetId));
    // the superseded NHS number keeps resolving, to the current record
    PatientResourceTest.search("identifier=" + People.NHS + "|" + People.nhs(source))
        .body("entry[0].resource.id", equalTo(targetId));
    // the merged-away record leaves demographic searches
    PatientResourceTest.search("family:exact=" + source.getNameFirstRep().getFamily()).body("total", equalTo(0));
    // every identifier of the person, from any of them
    pix(People.NHS + "|" + People.nhs(source), null).statusCode(200)
        .body("parameter.findAll { it.name == 'targetIdentifier' }.valueIdentifier.value",
            hasItems(People.nhs(target), councilId))
        .body("parameter.find { it.name == 'targetId' }.valueReference.reference", equalTo("Patient/" + targetId));
    pix(People.COUNCIL + "|" + councilId, People.NHS).statusCode(200)
        .body("parameter.findAll { it.name == 'targetIdentifier' }.valueIdentifier.value",
            equalTo(List.of(People.nhs(source), People.nhs(target)).stream().sorted().toList()));

    List<EventProbe.Event> events = EventProbe.await("tellonce-test.identity.person.v1",
        e -> targetId.equals(e.key()) && "org.tellonce.identity.person.merged.v1".equals(e.header("ce_type")), 1,
        Duration.ofSeconds(20));
    assertThat(events.get(0).data()).contains("\"sourceId\":\"" + sourceId + "\"").doesNotContain("ward clerk");
    assertThat(EventContracts.problems(events.get(0))).isEmpty();

    // conflicting and repeated merges are refused
    merge(targetId, sourceId, "the other way round").statusCode(409);
    merge(sourceId, targetId, "again").statusCode(409);
    merge(targetId, targetId, "itself").statusCode(422);
    merge(targetId, "not-a-person", "unknown").statusCode(404);
    merge(sourceId, targetId, " ").statusCode(422).body("issue[0].diagnostics", containsString("reason"));

    Parameters unmerge = new Parameters();
    unmerge.addParameter("source-patient", new Reference("Patient/" + sourceId));
    unmerge.addParameter("reason", new StringType("Not the same person after all"));
    given().auth().oauth2(Tokens.user("admin")).contentType("application/fhir+json").urlEncodingEnabled(false).body(Fhir.encode(unmerge))
        .post("/fhir/Patient/$unmerge").then().statusCode(200)
        .body("parameter.find { it.name == 'result' }.resource.active", equalTo(true));
    PatientResourceTest.search("identifier=" + People.NHS + "|" + People.nhs(source))
        .body("entry[0].resource.id", equalTo(sourceId));
    EventProbe.Event unmerged = EventProbe.await("tellonce-test.identity.person.v1",
        e -> targetId.equals(e.key()) && "org.tellonce.identity.person.unmerged.v1".equals(e.header("ce_type")), 1,
        Duration.ofSeconds(20)).get(0);
    assertThat(EventContracts.problems(unmerged)).isEmpty();
    given().auth().oauth2(Tokens.user("admin")).contentType("application/fhir+json").urlEncodingEnabled(false).body(Fhir.encode(unmerge))
        .post("/fhir/Patient/$unmerge").then().statusCode(409);
    given().auth().oauth2(Tokens.user("worker.vcse")).contentType("application/fhir+json").urlEncodingEnabled(false).body(Fhir.encode(unmerge))
        .post("/fhir/Patient/$merge").then().statusCode(403);

    // the audit trail: who merged, why, and who undid it
    given().auth().oauth2(Tokens.user("caldicott.mht")).get("/merges?patient=Patient/" + targetId).then().statusCode(200)
        .body("size()", equalTo(1))
        .body("[0].source", equalTo("Patient/" + sourceId))
        .body("[0].reason", equalTo("Duplicate registration found by the ward clerk"))
        .body("[0].mergedBy", equalTo("admin"))
        .body("[0].unmergeReason", equalTo("Not the same person after all"));
    given().auth().oauth2(Tokens.user("nurse.mht")).get("/merges?patient=Patient/" + targetId).then().statusCode(403);
  }

  @Test
  void crossReferenceFollowsPixmErrorRules() {
    pix("https://example.org/unknown|1", null).statusCode(400);
    pix(People.NHS + "|" + NhsNumbers.random(), null).statusCode(404);
    Patient person = People.person();
    People.register(person);
    pix(People.NHS + "|" + People.nhs(person), "https://example.org/unknown").statusCode(403);
    pix("no-bar", null).statusCode(400);
  }

  static ValidatableResponse match(String user, Patient query, Boolean onlyCertain, Integer count) {
    Parameters parameters = new Parameters();
    parameters.addParameter().setName("resource").setResource(query);
    if (onlyCertain != null) {
      parameters.addParameter("onlyCertainMatches", new BooleanType(onlyCertain));
    }
    if (count != null) {
      parameters.addParameter("count", new IntegerType(count));
    }
    return given().auth().oauth2(Tokens.user(user)).contentType("application/fhir+json").urlEncodingEnabled(false)
        .body(Fhir.encode(parameters))
        .post("/fhir/Patient/$match")
        .then().statusCode(200).body("type", equalTo("searchset"));
  }

  static ValidatableResponse merge(String source, String target, String reason) {
    Parameters parameters = new Parameters();
    parameters.addParameter("source-patient", new Reference("Patient/" + source));
    parameters.addParameter("target-patient", new Reference("Patient/" + target));
    parameters.addParameter("reason", new StringType(reason));
    return given().auth().oauth2(Tokens.user("admin")).contentType("application/fhir+json").urlEncodingEnabled(false)
        .body(Fhir.encode(parameters)).post("/fhir/Patient/$merge").then();
  }

  static ValidatableResponse pix(String source, String target) {
    String query = "sourceIdentifier=" + java.net.URLEncoder.encode(source, java.nio.charset.StandardCharsets.UTF_8)
        + (target == null ? "" : "&targetSystem=" + java.net.URLEncoder.encode(target, java.nio.charset.StandardCharsets.UTF_8));
    return given().auth().oauth2(Tokens.user("sw.council")).urlEncodingEnabled(false)
        .get("/fhir/Patient/$ihe-pix?" + query).then();
  }

  static ValidatableResponse reviews(String status) {
    return given().auth().oauth2(Tokens.user("nurse.mht")).get("/reviews?status=" + status + "&count=200")
        .then().statusCode(200);
  }
}
