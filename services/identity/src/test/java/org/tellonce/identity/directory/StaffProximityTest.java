package org.tellonce.identity.directory;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.tellonce.identity.directory.DirectoryResourceTest.create;
import static org.tellonce.identity.directory.DirectoryResourceTest.organization;
import static org.tellonce.identity.directory.DirectoryResourceTest.practitioner;
import static org.tellonce.identity.directory.DirectoryResourceTest.role;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Practitioner;
import org.junit.jupiter.api.Test;
import org.tellonce.identity.patient.People;
import org.tellonce.testing.KeycloakUsers;
import org.tellonce.testing.NhsNumbers;
import org.tellonce.testing.TellonceInfra;
import org.tellonce.testing.Tokens;

/** Whether people whose records a member of staff opened are their namesakes or colleagues, from the directory. */
@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "identity_test"))
class StaffProximityTest {

  static final LocalDate BORN = LocalDate.of(1979, 5, 17);

  static String person(String family, String given, LocalDate born) {
    return People.register(People.person(NhsNumbers.random(), family, given, born, "female", "RV1 2AB"));
  }

  static JsonPath ask(String token, String username, List<String> persons, int status) {
    return given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("persons", persons))
        .post("/staff/" + username + "/proximity").then().statusCode(status).extract().jsonPath();
  }

  @Test
  void namesakesAndColleaguesOfTheStaffMemberAreFoundAndNoOneElse() {
    // letters only, so that the names are names
    String suffix = UUID.randomUUID().toString().replaceAll("[^a-f]", "").concat("abcdefgh").substring(0, 8)
        .replace('a', 'k').replace('b', 'm');
    String family = "Quillfeather" + suffix;
    String colleagueFamily = "Marchbanks" + suffix;
    String username = KeycloakUsers.create("staff.prox" + suffix.toLowerCase(Locale.ROOT), "clinician");
    String organization = "P" + suffix.substring(0, 6).toUpperCase(Locale.ROOT);
    String elsewhere = "Q" + suffix.substring(0, 6).toUpperCase(Locale.ROOT);
    create(organization(organization, "Test trust " + organization, "nhs-trust"));
    create(organization(elsewhere, "Test trust " + elsewhere, "nhs-trust"));
    String reader = create(practitioner(family, "Tola"));
    create(role(reader, organization, "clinical-lead", username));
    Practitioner colleague = practitioner(colleagueFamily, "Ada");
    colleague.setBirthDate(java.sql.Date.valueOf(BORN));
    create(role(create(colleague), organization, "gp", null));
    // the same name at another organisation is no colleague
    String other = create(practitioner("Farrowdale" + suffix, "Ben"));
    create(role(other, elsewhere, "gp", null));

    String namesake = person(family, "Sam", LocalDate.of(1950, 1, 1));
    String sameColleague = person(colleagueFamily, "Ada", BORN);
    String notColleague = person(colleagueFamily, "Ada", BORN.plusDays(1));
    String otherOrganisation = person("Farrowdale" + suffix, "Ben", BORN);
    String stranger = person("Unrelated" + suffix, "Kit", BORN);

    JsonPath answer = ask(Tokens.service("care-record"), username,
        List.of(namesake, sameColleague, notColleague, otherOrganisation, stranger, "no-such-person"), 200);
    assertThat(answer.getString("organization")).isEqualTo(organization);
    assertThat(answer.getList("persons.person")).containsExactlyInAnyOrder(namesake, sameColleague, notColleague,
        otherOrganisation, stranger);
    assertThat(flags(answer, namesake)).isEqualTo("namesake");
    assertThat(flags(answer, sameColleague)).isEqualTo("colleague");
    assertThat(flags(answer, notColleague)).isEqualTo("");
    assertThat(flags(answer, otherOrganisation)).isEqualTo("");
    assertThat(flags(answer, stranger)).isEqualTo("");

    // someone not in the directory is no one's namesake or colleague
    JsonPath unknown = ask(Tokens.user("admin"), "nobody.here", List.of(namesake), 200);
    assertThat(unknown.getString("organization")).isNull();
    assertThat(flags(unknown, namesake)).isEqualTo("");
  }

  @Test
  void onlyServicesAndAdministratorsAskAndOnlyWithAFewIds() {
    ask(Tokens.user("nurse.mht"), "nurse.mht", List.of("x"), 403);
    ask(Tokens.user("admin"), "nurse.mht", List.of(), 400);
    ask(Tokens.user("admin"), "Not A Username", List.of("x"), 400);
    ask(Tokens.user("admin"), "nurse.mht", java.util.stream.IntStream.range(0, 101).mapToObj(i -> "p" + i).toList(),
        400);
  }

  private static String flags(JsonPath answer, String person) {
    Map<String, Object> entry = answer.<Map<String, Object>>getList("persons").stream()
        .filter(p -> person.equals(p.get("person"))).findFirst().orElseThrow();
    return (Boolean.TRUE.equals(entry.get("namesake")) ? "namesake" : "")
        + (Boolean.TRUE.equals(entry.get("colleague")) ? "colleague" : "");
  }
}
