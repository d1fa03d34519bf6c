package org.tellonce.identity.patient;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.testing.EventContracts;
import org.tellonce.testing.EventProbe;
import org.tellonce.testing.NhsNumbers;
import org.tellonce.testing.TellonceInfra;
import org.tellonce.testing.Tokens;

@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "identity_test"))
public class PatientResourceTest {

  /** Kept for the care-team tests: registers a person with this NHS number. */
  public static String register(String nhsNumber) {
    return People.register(People.person(nhsNumber, People.name(), People.name(), People.birthDate(), "male",
        People.postcode()));
  }

  @Test
  void registersAPersonReadsThemBackAndTellsEveryService() throws Exception {
    Patient person = People.person();
    String id = People.post("nurse.mht", person)
        .then().statusCode(201)
        .header("Location", containsString("Patient/"))
        .header("ETag", equalTo("W/\"1\""))
        .header(PatientResource.MATCH_HEADER, equalTo("created"))
        .contentType(containsString("application/fhir+json"))
        .body("meta.versionId", equalTo("1"))
        .extract().path("id");

    given().auth().oauth2(Tokens.user("sw.council"))
        .get("/fhir/Patient/" + id)
        .then().statusCode(200)
        .header("ETag", equalTo("W/\"1\""))
        .body("identifier[0].value", equalTo(People.nhs(person)))
        .body("name[0].family", equalTo(person.getNameFirstRep().getFamily()))
        .body("address[0].postalCode", equalTo(person.getAddressFirstRep().getPostalCode()));

    List<EventProbe.Event> events = EventProbe.await("tellonce-test.identity.person.v1",
        e -> id.equals(e.key()), 1, Duration.ofSeconds(20));
    assertThat(events.get(0).header("ce_type")).isEqualTo("org.tellonce.identity.person.registered.v1");
    assertThat(events.get(0).data()).contains(People.nhs(person)).doesNotContain(person.getNameFirstRep().getFamily());
    assertThat(EventContracts.problems(events.get(0))).isEmpty();
    String postcode = person.getAddressFirstRep().getPostalCode().replace(" ", "").toUpperCase(java.util.Locale.ROOT);
    assertThat(events.get(0).data()).as("the outward code only, for routing")
        .contains("\"postcodeDistrict\":\"" + postcode.substring(0, postcode.length() - 3) + "\"")
        .doesNotContain(postcode);
  }

  @Test
  void aKnownIdentifierLinksToTheExistingRecordInsteadOfCreatingADuplicate() throws Exception {
    Patient person = People.person();
    String id = People.register(person);
    String councilId = People.councilId();
    Patient fromCouncil = People.person(People.nhs(person), person.getNameFirstRep().getFamily(),
        person.getNameFirstRep().getGivenAsSingleString(), People.birthDate(), "female", People.postcode());
    fromCouncil.addIdentifier().setSystem(People.COUNCIL).setValue(councilId);

    People.post("sw.council", fromCouncil)
        .then().statusCode(200)
        .header(PatientResource.MATCH_HEADER, equalTo("linked"))
        .header("ETag", equalTo("W/\"2\""))
        .body("id", equalTo(id))
        .body("identifier.value", hasItems(People.nhs(person), councilId))
        // the record's demographics stay as recorded: the link adds identifiers only
        .body("birthDate", equalTo(person.getBirthDateElement().getValueAsString()));

    EventProbe.Event updated = EventProbe.await("tellonce-test.identity.person.v1",
        e -> id.equals(e.key()) && "org.tellonce.identity.person.updated.v1".equals(e.header("ce_type")), 1,
        Duration.ofSeconds(20)).get(0);
    assertThat(updated.data()).contains(councilId);
    assertThat(EventContracts.problems(updated)).isEmpty();

    // the same registration again changes nothing
    People.post("sw.council", fromCouncil).then().statusCode(200).header("ETag", equalTo("W/\"2\""));
  }

  @Test
  void identifiersOfTwoDifferentPeopleCannotBeRegisteredAsOne() {
    Patient first = People.person();
    People.register(first);
    Patient second = People.person();
    second.addIdentifier().setSystem(People.COUNCIL).setValue(People.councilId());
    People.register(second);
    Patient both = People.person(People.nhs(first), People.name(), People.name(), People.birthDate(), "male", null);
    both.addIdentifier(second.getIdentifier().get(1));

    People.post("nurse.mht", both)
        .then().statusCode(409)
        .body("resourceType", equalTo("OperationOutcome"))
        .body("issue[0].diagnostics", containsString("different people"));
  }

  @Test
  void refusesBadInputWithAClear4xxAndWritesNothing() {
    Patient invalidNhs = People.person("9434765918", People.name(), People.name(), People.birthDate(), "male", null);
    refuse(invalidNhs, 422, "modulus-11");

    Patient unknownSystem = People.person();
    unknownSystem.addIdentifier().setSystem("https://example.org/ids").setValue("X1");
    refuse(unknownSystem, 422, "not accepted by this index");

    Patient badCouncilId = People.person();
    badCouncilId.addIdentifier().setSystem(People.COUNCIL).setValue("lower case!");
    refuse(badCouncilId, 422, "not in the format");

    Patient twoNhs = People.person();
    twoNhs.addIdentifier().setSystem(People.NHS).setValue(NhsNumbers.random());
    refuse(twoNhs, 422, "only one identifier of each system");

    Patient future = People.person(NhsNumbers.random(), People.name(), People.name(),
        java.time.LocalDate.now().plusDays(3), "male", null);
    refuse(future, 422, "in the future");

    Patient ancient = People.person(NhsNumbers.random(), People.name(), People.name(),
        java.time.LocalDate.of(1820, 5, 1), "male", null);
    refuse(ancient, 422, "check the year");

    Patient linked = People.person();
    linked.addLink().setType(Patient.LinkType.REPLACEDBY).setOther(new org.hl7.fhir.r4.model.Reference("Patient/x"));
    refuse(linked, 422, "$merge");

    Patient nameless = new Patient();
    nameless.setGender(org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.MALE);
    refuse(nameless, 422, "identifier or a name");

    for (Patient refused : List.of(invalidNhs, future, ancient, linked)) {
      given().auth().oauth2(Tokens.user("nurse.mht"))
          .get("/fhir/Patient?family:exact=" + refused.getNameFirstRep().getFamily())
          .then().statusCode(200).body("total", equalTo(0));
    }
  }

  private static void refuse(Patient patient, int status, String why) {
    People.post("nurse.mht", patient)
        .then().statusCode(status)
        .body("resourceType", equalTo("OperationOutcome"))
        .body("issue[0].severity", equalTo("error"))
        .body("issue[0].diagnostics", containsString(why));
  }

  @Test
  void refusesMalformedImpossibleAndOversizedBodies() throws Exception {
    for (String body : List.of("{\"resourceType\":\"Patient\",\"birthDate\":", "{\"resourceType\":\"Condition\"}",
        "{\"resourceType\":\"Patient\",\"birthDate\":\"2021-02-30\"}", "[]", "")) {
      given().auth().oauth2(Tokens.user("nurse.mht"))
          .contentType("application/fhir+json")
          .body(body)
          .post("/fhir/Patient")
          .then().statusCode(400)
          .body("resourceType", equalTo("OperationOutcome"));
    }
    // A body over the 2 MB limit is refused from its Content-Length, before it is read.
    java.net.http.HttpResponse<String> tooBig = java.net.http.HttpClient.newBuilder()
        .version(java.net.http.HttpClient.Version.HTTP_1_1).build().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(io.restassured.RestAssured.baseURI + ":"
                + io.restassured.RestAssured.port + "/fhir/Patient"))
            .header("Authorization", "Bearer " + Tokens.user("nurse.mht"))
            .header("Content-Type", "application/fhir+json")
            .expectContinue(true)
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}]}"))
            .build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(tooBig.statusCode()).isEqualTo(413);
  }

  @Test
  void updatesWithVersionChecks() {
    Patient person = People.person();
    String id = People.register(person);
    person.setId(id);
    person.getAddressFirstRep().setPostalCode(People.postcode());

    given().auth().oauth2(Tokens.user("nurse.mht"))
        .contentType("application/fhir+json").header("If-Match", "W/\"1\"")
        .body(Fhir.encode(person))
        .put("/fhir/Patient/" + id)
        .then().statusCode(200)
        .header("ETag", equalTo("W/\"2\""))
        .body("meta.versionId", equalTo("2"));

    given().auth().oauth2(Tokens.user("nurse.mht"))
        .contentType("application/fhir+json").header("If-Match", "W/\"1\"")
        .body(Fhir.encode(person))
        .put("/fhir/Patient/" + id)
        .then().statusCode(412)
        .body("issue[0].diagnostics", containsString("version 2"));

    given().auth().oauth2(Tokens.user("nurse.mht"))
        .contentType("application/fhir+json").header("If-Match", "yesterday")
        .body(Fhir.encode(person))
        .put("/fhir/Patient/" + id)
        .then().statusCode(400);

    given().auth().oauth2(Tokens.user("nurse.mht"))
        .contentType("application/fhir+json")
        .body(Fhir.encode(person))
        .put("/fhir/Patient/another-id")
        .then().statusCode(400)
        .body("issue[0].diagnostics", containsString("does not match"));
  }

  @Test
  void searchesByIdentifierNamesBirthDatePostcodeAndGender() {
    String family = People.name();
    java.time.LocalDate born = People.birthDate();
    String postcode = People.postcode();
    Patient ann = People.person(NhsNumbers.random(), family, "Annabel", born, "female", postcode);
    Patient bob = People.person(NhsNumbers.random(), family, "Robert", born.plusYears(2), "male", People.postcode());
    String annId = People.register(ann);
    String bobId = People.register(bob);

    search("identifier=" + People.NHS + "|" + People.nhs(ann)).body("total", equalTo(1))
        .body("entry[0].resource.id", equalTo(annId))
        .body("entry[0].search.mode", equalTo("match"));
    search("identifier=" + People.nhs(bob)).body("entry[0].resource.id", equalTo(bobId));
    search("family=" + family.substring(0, 6)).body("total", equalTo(2));
    search("family:exact=" + family).body("total", equalTo(2));
    search("family:exact=" + family.substring(0, 6)).body("total", equalTo(0));
    search("family=" + family + "&given=anna").body("total", equalTo(1)).body("entry[0].resource.id", equalTo(annId));
    search("family=" + family + "&gender=male").body("entry.resource.id", equalTo(List.of(bobId)));
    search("family=" + family + "&birthdate=" + born).body("entry.resource.id", equalTo(List.of(annId)));
    search("family=" + family + "&birthdate=gt" + born).body("entry.resource.id", equalTo(List.of(bobId)));
    search("family=" + family + "&birthdate=" + born.getYear()).body("entry.resource.id", equalTo(List.of(annId)));
    search("address-postalcode=" + postcode.replace(" ", "").toLowerCase()).body("entry.resource.id", hasItem(annId));
    search("identifier=" + People.NHS + "|" + NhsNumbers.random()).body("total", equalTo(0));
  }

  @Test
  void pagesWithStableNextLinksAndAnHonestTotal() {
    String family = People.name();
    for (int i = 0; i < 5; i++) {
      People.register(People.person(NhsNumbers.random(), family, People.name(), People.birthDate(), "female", null));
    }
    var first = search("family:exact=" + family + "&_count=2").body("total", equalTo(5))
        .body("entry.size()", equalTo(2))
        .body("link.find { it.relation == 'next' }.url", containsString("_cursor="))
        .extract();
    String next = first.path("link.find { it.relation == 'next' }.url");
    assertThat(next).startsWith("fhir/Patient?");
    var second = given().auth().oauth2(Tokens.user("nurse.mht")).urlEncodingEnabled(false).get("/" + next).then()
        .log().ifValidationFails().statusCode(200)
        .body("entry.size()", equalTo(2)).extract();
    String third = second.path("link.find { it.relation == 'next' }.url");
    given().auth().oauth2(Tokens.user("nurse.mht")).urlEncodingEnabled(false).get("/" + third).then().statusCode(200)
        .body("entry.size()", equalTo(1))
        .body("link.find { it.relation == 'next' }", nullValue());
    List<String> seen = new java.util.ArrayList<>(first.path("entry.resource.id"));
    seen.addAll(second.path("entry.resource.id"));
    assertThat(seen).doesNotHaveDuplicates().hasSize(4);
  }

  @Test
  void refusesSearchesThatWouldListTheIndexOrAreMalformed() {
    searchStatus("", 400, "at least one");
    searchStatus("gender=male", 400, "cannot be searched alone");
    searchStatus("family=a", 400, "two letters");
    searchStatus("birthdate=12/04/1961", 400, "YYYY");
    searchStatus("birthdate=xx1961", 400, "prefix");
    searchStatus("identifier=https://example.org/x%7C1", 422, "not accepted");
    searchStatus("name=Smith", 400, "Unsupported search parameter");
    searchStatus("family=Smith&_count=1000", 400, "_count");
    searchStatus("family=Sm%25", 200, null);
  }

  @Test
  void aRestrictedPersonsAddressAndContactsStayWithTheRecordingOrganisation() {
    Patient person = People.restricted(People.person());
    String family = person.getNameFirstRep().getFamily();
    String id = People.register("nurse.mht", person);

    // the recording organisation sees everything, and finds them by name
    given().auth().oauth2(Tokens.user("caldicott.mht")).get("/fhir/Patient/" + id).then().statusCode(200)
        .body("address[0].postalCode", notNullValue())
        .body("telecom[0].value", notNullValue());
    search("family:exact=" + family).body("total", equalTo(1));

    // everyone else: no address, no contacts, marked redacted; never found by a demographic search
    given().auth().oauth2(Tokens.user("sw.council")).get("/fhir/Patient/" + id).then().statusCode(200)
        .body("address", nullValue())
        .body("telecom", nullValue())
        .body("meta.security.code", hasItems("R", "REDACTED"));
    given().auth().oauth2(Tokens.user("sw.council"))
        .get("/fhir/Patient?family:exact=" + family).then().statusCode(200).body("total", equalTo(0));
    assertThat(EventProbe.await("tellonce-test.identity.person.v1", e -> id.equals(e.key()), 1, Duration.ofSeconds(20))
        .get(0).data()).as("not even the district of a restricted person's address").doesNotContain("postcodeDistrict");
    given().auth().oauth2(Tokens.user("sw.council"))
        .get("/fhir/Patient?birthdate=" + person.getBirthDateElement().getValueAsString() + "&family=" + family)
        .then().statusCode(200).body("total", equalTo(0));
    given().auth().oauth2(Tokens.user("sw.council"))
        .get("/fhir/Patient?identifier=" + People.NHS + "|" + People.nhs(person)).then().statusCode(200)
        .body("total", equalTo(1))
        .body("entry[0].resource.address", nullValue());

    // and they cannot change the record
    person.setId(id);
    given().auth().oauth2(Tokens.user("sw.council")).contentType("application/fhir+json")
        .body(Fhir.encode(person)).put("/fhir/Patient/" + id)
        .then().statusCode(403);
  }

  @Test
  void answers401WithoutATokenAnd403ForARoleThatMayNotRegister() {
    given().contentType("application/fhir+json").body(Fhir.encode(People.person()))
        .post("/fhir/Patient").then().statusCode(401).body("issue[0].code", equalTo("login"));
    given().auth().oauth2("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")
        .get("/fhir/Patient/anything").then().statusCode(401).body("resourceType", equalTo("OperationOutcome"));
    People.post("worker.vcse", People.person()).then().statusCode(403).body("issue[0].code", equalTo("forbidden"));
  }

  @Test
  void answers404AsAnOperationOutcomeForAnUnknownPerson() {
    given().auth().oauth2(Tokens.user("nurse.mht"))
        .get("/fhir/Patient/does-not-exist")
        .then().statusCode(404)
        .body("issue[0].code", equalTo("not-found"));
  }

  @Test
  void servesACapabilityStatementAndHealth() {
    given().get("/fhir/metadata")
        .then().statusCode(200)
        .body("fhirVersion", equalTo("4.0.1"))
        .body("rest[0].resource.type", hasItems("Patient", "CareTeam"))
        .body("rest[0].operation.name", hasItems("match", "merge", "ihe-pix"));
    given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
  }

  static io.restassured.response.ValidatableResponse search(String query) {
    return given().auth().oauth2(Tokens.user("nurse.mht")).get("/fhir/Patient?" + query)
        .then().statusCode(200).body("resourceType", equalTo("Bundle")).body("type", equalTo("searchset"));
  }

  private static void searchStatus(String query, int status, String why) {
    var response = given().auth().oauth2(Tokens.user("nurse.mht")).urlEncodingEnabled(false)
        .get(query.isEmpty() ? "/fhir/Patient" : "/fhir/Patient?" + query).then().statusCode(status);
    if (why != null) {
      response.body("issue[0].diagnostics", containsString(why));
    }
  }
}
