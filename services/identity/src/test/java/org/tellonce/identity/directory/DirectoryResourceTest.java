package org.tellonce.identity.directory;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.References;
import org.tellonce.testing.EventContracts;
import org.tellonce.testing.EventProbe;
import org.tellonce.testing.KeycloakUsers;
import org.tellonce.testing.TellonceInfra;
import org.tellonce.testing.Tokens;

@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "identity_test"))
public class DirectoryResourceTest {

  @jakarta.inject.Inject StaffAccountReconciler reconciler;

  static String code() {
    return "T" + ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999);
  }

  public static Organization organization(String code, String name, String type) {
    Organization organization = new Organization().setName(name);
    organization.addIdentifier().setSystem(References.ODS_SYSTEM).setValue(code);
    organization.addType(new CodeableConcept(new Coding(DirectoryCodes.ORGANIZATION_TYPE, type, null)));
    return organization;
  }

  public static Practitioner practitioner(String family, String given) {
    Practitioner practitioner = new Practitioner();
    practitioner.addName().setFamily(family).addGiven(given);
    practitioner.addIdentifier().setSystem("https://fhir.hl7.org.uk/Id/nmc-number").setValue("NMC" + code());
    return practitioner;
  }

  public static PractitionerRole role(String practitionerId, String organization, String role, String username) {
    PractitionerRole practitionerRole = new PractitionerRole()
        .setPractitioner(new Reference("Practitioner/" + practitionerId))
        .setOrganization(References.organization(organization));
    practitionerRole.addCode(new CodeableConcept(new Coding(DirectoryCodes.CARE_ROLE, role, null)));
    practitionerRole.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("01632 960123");
    if (username != null) {
      practitionerRole.addIdentifier().setSystem(DirectoryCodes.KEYCLOAK_USERNAME).setValue(username);
    }
    return practitionerRole;
  }

  public static String create(Resource resource) {
    return post(resource).log().ifValidationFails().statusCode(201).extract().path("id");
  }

  static ValidatableResponse post(Resource resource) {
    return given().auth().oauth2(Tokens.user("admin")).contentType("application/fhir+json")
        .body(Fhir.encode(resource)).post("/fhir/" + resource.fhirType()).then();
  }

  static ValidatableResponse search(String type, String query) {
    return given().auth().oauth2(Tokens.user("nurse.mht")).urlEncodingEnabled(false)
        .get("/fhir/" + type + "?" + query).then().statusCode(200).body("type", equalTo("searchset"));
  }

  @Test
  void organisationsAreKeptByOdsCodeAndSearchable() {
    String code = code();
    String id = create(organization(code, "Riverside Test Trust " + code, "nhs-trust"));
    given().auth().oauth2(Tokens.user("sw.council")).get("/fhir/Organization/" + id).then().statusCode(200)
        .header("ETag", equalTo("W/\"1\""))
        .body("active", equalTo(true))
        .body("identifier[0].value", equalTo(code));
    search("Organization", "identifier=" + References.ODS_SYSTEM + "%7C" + code).body("total", equalTo(1))
        .body("entry[0].resource.id", equalTo(id));
    search("Organization", "identifier=" + code).body("total", equalTo(1));
    search("Organization", "name=riverside%20test%20trust%20" + code.toLowerCase(Locale.ROOT)).body("total", equalTo(1));
    search("Organization", "type=nhs-trust&identifier=" + code).body("total", equalTo(1));
    search("Organization", "type=vcse&identifier=" + code).body("total", equalTo(0));

    // one Organization per code
    post(organization(code, "Copy", "council")).statusCode(409).body("issue[0].code", equalTo("duplicate"));
    // update with a version check
    Organization renamed = organization(code, "Riverside Renamed " + code, "nhs-trust");
    renamed.setId(id);
    given().auth().oauth2(Tokens.user("admin")).contentType("application/fhir+json").header("If-Match", "W/\"1\"")
        .body(Fhir.encode(renamed)).put("/fhir/Organization/" + id).then().statusCode(200)
        .body("meta.versionId", equalTo("2"));
    given().auth().oauth2(Tokens.user("admin")).contentType("application/fhir+json").header("If-Match", "W/\"1\"")
        .body(Fhir.encode(renamed)).put("/fhir/Organization/" + id).then().statusCode(412);
  }

  @Test
  void refusesDirectoryResourcesThatBreakTheRules() {
    post(new Organization().setName("No code")).statusCode(422).body("issue[0].diagnostics", containsString("ODS"));
    post(organization(code(), "Untyped", "hospital")).statusCode(422).body("issue[0].diagnostics",
        containsString("not in"));
    Organization nameless = organization(code(), "x", "vcse");
    nameless.setName(null);
    post(nameless).statusCode(422);
    post(new Practitioner()).statusCode(422).body("issue[0].diagnostics", containsString("family"));
    post(role("no-such-practitioner", "MHT01", "nurse", null)).statusCode(422)
        .body("issue[0].diagnostics", containsString("not an active Practitioner"));
    String practitionerId = create(practitioner("Okafor", "Ngozi"));
    post(role(practitionerId, "MHT01", "wizard", null)).statusCode(422);
    post(role(practitionerId, "MHT01", "nurse", "Not A Username!")).statusCode(422);
    HealthcareService service = new HealthcareService().setName("Crisis team").setProvidedBy(References.organization("MHT01"));
    post(service).statusCode(422).body("issue[0].diagnostics", containsString("category"));
    given().auth().oauth2(Tokens.user("admin")).contentType("application/fhir+json")
        .body(Fhir.encode(practitioner("A", "B"))).post("/fhir/Organization").then().statusCode(400);
    given().auth().oauth2(Tokens.user("sw.council")).contentType("application/fhir+json")
        .body(Fhir.encode(organization(code(), "Mine", "council"))).post("/fhir/Organization").then().statusCode(403);
    given().auth().oauth2(Tokens.user("nurse.mht")).get("/fhir/Organization?colour=blue").then().statusCode(400)
        .body("issue[0].diagnostics", containsString("Unsupported search parameter"));
  }

  @Test
  void healthcareServicesAreFoundByCategoryAndLocality() throws Exception {
    String code = code();
    HealthcareService service = new HealthcareService().setName("Community mental health team North " + code)
        .setProvidedBy(References.organization(code));
    service.addCategory(new CodeableConcept(new Coding(DirectoryCodes.SERVICE_CATEGORY, "community-mental-health", null)));
    service.addExtension(DirectoryCodes.LOCALITY, new CodeType("north-" + code.toLowerCase(Locale.ROOT)));
    service.addExtension(DirectoryCodes.CAPACITY, new IntegerType(40));
    service.addAvailableTime().addDaysOfWeek(HealthcareService.DaysOfWeek.MON)
        .setAvailableStartTime("09:00:00").setAvailableEndTime("17:00:00");
    String id = create(service);
    search("HealthcareService", "service-category=community-mental-health&locality=north-" + code)
        .body("entry.resource.id", equalTo(List.of(id)));
    search("HealthcareService", "organization.identifier=" + code).body("entry.resource.id", equalTo(List.of(id)));

    HealthcareService badCapacity = service.copy();
    badCapacity.setId((String) null);
    badCapacity.getExtensionsByUrl(DirectoryCodes.CAPACITY).get(0).setValue(new IntegerType(-1));
    post(badCapacity).statusCode(422);
    HealthcareService badHours = service.copy();
    badHours.setId((String) null);
    badHours.getAvailableTimeFirstRep().setAvailableStartTime("18:00:00");
    post(badHours).statusCode(422).body("issue[0].diagnostics", containsString("availableStartTime"));

    // referral routing hears of the team, with what it routes by
    List<EventProbe.Event> events = EventProbe.await("tellonce-test.identity.directory.v1", e -> id.equals(e.key()), 1,
        Duration.ofSeconds(20));
    assertThat(events.get(0).header("ce_type")).isEqualTo("org.tellonce.identity.healthcareservice.changed.v1");
    assertThat(events.get(0).data()).contains("\"organization\":\"" + code + "\"")
        .contains("\"categories\":[\"community-mental-health\"]").contains("\"capacity\":40")
        .contains("\"localities\":[\"north-" + code.toLowerCase(Locale.ROOT) + "\"]");
    assertThat(EventContracts.problems(events.get(0))).isEmpty();
  }

  @Test
  void aPractitionerRoleKeepsTheKeycloakAccountInStep() throws Exception {
    String username = KeycloakUsers.create("staff." + code().toLowerCase(Locale.ROOT), "clinician");
    String organization = code();
    create(organization(organization, "Test GP " + organization, "gp-practice"));
    String practitionerId = create(practitioner("Adeyemi", "Tola"));

    String roleId = create(role(practitionerId, organization, "gp", username));
    assertThat(KeycloakUsers.attributes(username))
        .containsEntry("practitioner_role", List.of("PractitionerRole/" + roleId))
        .containsEntry("org", List.of(organization));
    String claims = new String(Base64.getUrlDecoder().decode(KeycloakUsers.token(username).split("\\.")[1]),
        StandardCharsets.UTF_8);
    assertThat(claims).contains("\"practitioner_role\":\"PractitionerRole/" + roleId + "\"")
        .contains("\"org\":\"" + organization + "\"");
    search("PractitionerRole", "identifier=" + DirectoryCodes.KEYCLOAK_USERNAME + "%7C" + username)
        .body("entry.resource.id", equalTo(List.of(roleId)));
    search("PractitionerRole", "practitioner=Practitioner/" + practitionerId + "&role=gp").body("total", equalTo(1));

    // one active role per account
    post(role(practitionerId, organization, "clinical-lead", username)).statusCode(409);
    // an account that does not exist: refused, and nothing is stored
    post(role(practitionerId, organization, "gp", "nobody." + code().toLowerCase(Locale.ROOT))).statusCode(422)
        .body("issue[0].diagnostics", containsString("no user"));
    search("PractitionerRole", "practitioner=Practitioner/" + practitionerId).body("total", equalTo(1));

    // retiring the role takes it off the account, and frees the account for a new role
    PractitionerRole retired = role(practitionerId, organization, "gp", username);
    retired.setId(roleId);
    retired.setActive(false);
    given().auth().oauth2(Tokens.user("admin")).contentType("application/fhir+json").body(Fhir.encode(retired))
        .put("/fhir/PractitionerRole/" + roleId).then().statusCode(200).body("active", equalTo(false));
    assertThat(KeycloakUsers.attributes(username)).doesNotContainKey("practitioner_role").doesNotContainKey("org");
    String newRole = create(role(practitionerId, organization, "clinical-lead", username));
    assertThat(KeycloakUsers.attributes(username)).containsEntry("practitioner_role", List.of("PractitionerRole/" + newRole));
    search("PractitionerRole", "identifier=" + DirectoryCodes.KEYCLOAK_USERNAME + "%7C" + username)
        .body("total", equalTo(2));

    // someone edits the account by hand: the reconciler puts it back in step with the directory
    KeycloakUsers.setAttribute(username, "org", "XXX99");
    reconciler.reconcile().await().atMost(java.time.Duration.ofSeconds(60));
    assertThat(KeycloakUsers.attributes(username))
        .containsEntry("org", List.of(organization))
        .containsEntry("practitioner_role", List.of("PractitionerRole/" + newRole));
  }

  @Test
  void careTeamsAreFoundByPersonAndSummarisedWithTheirCoordinator() {
    String organization = code();
    create(organization(organization, "Test Council " + organization, "council"));
    String practitionerId = create(practitioner("Hughes", "Megan"));
    String coordinatorRole = create(role(practitionerId, organization, "care-coordinator", null));
    String otherRole = create(role(create(practitioner("Patel", "Ravi")), organization, "social-worker", null));
    String personId = org.tellonce.identity.patient.PatientResourceTest.register(
        org.tellonce.testing.NhsNumbers.random());

    String team = """
        {"resourceType":"CareTeam","status":"active","subject":{"reference":"Patient/%s"},
         "participant":[
          {"role":[{"coding":[{"system":"%s","code":"care-coordinator"}]}],"member":{"reference":"PractitionerRole/%s"},
           "onBehalfOf":{"identifier":{"system":"%s","value":"%s"}}},
          {"role":[{"coding":[{"system":"%s","code":"%s"}]}],"member":{"reference":"PractitionerRole/%s"}}]}
        """;
    String teamId = given().auth().oauth2(Tokens.user("sw.council")).contentType("application/fhir+json")
        .body(team.formatted(personId, DirectoryCodes.CARE_ROLE, coordinatorRole, References.ODS_SYSTEM, organization,
            DirectoryCodes.CARE_ROLE, "social-worker", otherRole))
        .post("/fhir/CareTeam").then().statusCode(201).extract().path("id");
    // the change names the coordinator, so that referrals can tell them of redirects and escalations
    assertThat(EventProbe.await("tellonce-test.identity.careteam.v1", e -> personId.equals(e.key()), 1,
        Duration.ofSeconds(20)).get(0).data()).contains("\"coordinator\":\"PractitionerRole/" + coordinatorRole + "\"");
    // two coordinators, or named members without one: refused
    given().auth().oauth2(Tokens.user("sw.council")).contentType("application/fhir+json")
        .body(team.formatted(personId, DirectoryCodes.CARE_ROLE, coordinatorRole, References.ODS_SYSTEM, organization,
            DirectoryCodes.CARE_ROLE, "care-coordinator", otherRole))
        .post("/fhir/CareTeam").then().statusCode(422).body("issue[0].diagnostics", containsString("exactly one"));
    given().auth().oauth2(Tokens.user("sw.council")).contentType("application/fhir+json")
        .body(team.formatted(personId, DirectoryCodes.CARE_ROLE + "x", coordinatorRole, References.ODS_SYSTEM,
            organization, DirectoryCodes.CARE_ROLE, "social-worker", otherRole))
        .post("/fhir/CareTeam").then().statusCode(422);

    given().auth().oauth2(Tokens.user("nurse.mht")).get("/fhir/CareTeam?patient=Patient/" + personId)
        .then().statusCode(200).body("total", equalTo(1)).body("entry[0].resource.id", equalTo(teamId));
    given().auth().oauth2(Tokens.user("nurse.mht")).get("/fhir/CareTeam?patient=" + personId + "&status=inactive")
        .then().statusCode(200).body("total", equalTo(0));
    given().auth().oauth2(Tokens.user("nurse.mht")).get("/fhir/CareTeam").then().statusCode(400);

    given().auth().oauth2(Tokens.user("worker.vcse")).urlEncodingEnabled(false)
        .get("/fhir/Patient/" + personId + "/$care-team-summary")
        .then().statusCode(200)
        .body("type", equalTo("collection"))
        .body("entry.resource.resourceType", hasItems("CareTeam", "PractitionerRole", "Practitioner", "Organization"))
        .body("entry.find { it.resource.id == '" + coordinatorRole + "' }.resource.telecom[0].value",
            equalTo("01632 960123"))
        .body("entry.findAll { it.resource.resourceType == 'Practitioner' }.collect { it.resource.name[0].family }",
            hasItem("Hughes"));
    given().auth().oauth2(Tokens.user("worker.vcse")).urlEncodingEnabled(false)
        .get("/fhir/Patient/nobody-here/$care-team-summary").then().statusCode(404);
  }
}
