package org.tellonce.identity.patient;

import org.tellonce.platform.person.NhsNumber;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.testing.TellonceInfra;
import org.tellonce.testing.Tokens;
import org.tellonce.testing.UkCore;

/**
 * The person index holds UK Core Patients: the UK Core examples go in and come back unchanged and conformant, except
 * those whose NHS number fails its check digit (refused as PDS would) and snippets with neither name nor identifier.
 */
@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "identity_test"))
public class UkCorePatientTest {

  @Test
  void theUkCorePatientExamplesAreAcceptedAndReadBackUnchanged() throws Exception {
    UkCore ukCore = UkCore.get();
    List<IBaseResource> examples = ukCore.examples("Patient");
    assertThat(examples).hasSizeGreaterThanOrEqualTo(5);
    int refused = 0;
    for (IBaseResource example : examples) {
      Patient original = (Patient) example;
      String name = original.getIdElement().getIdPart();
      assertThat(ukCore.errors(original, UkCore.PATIENT)).as(name + " as published").isEmpty();
      Patient sent = original.copy();
      sent.setId((String) null);
      boolean validNhsNumber = sent.getIdentifier().stream()
          .filter(i -> NhsNumber.SYSTEM.equals(i.getSystem()))
          .allMatch(i -> NhsNumber.isValid(i.getValue()));
      if (!sent.hasIdentifier() && !sent.hasName()) {
        // UK Core's snippet examples show one element each; a person index cannot register someone with neither a
        // name nor an identifier.
        given().auth().oauth2(Tokens.user("nurse.mht")).contentType("application/fhir+json")
            .body(Fhir.encode(sent)).post("/fhir/Patient")
            .then().statusCode(422)
            .body("issue[0].diagnostics", org.hamcrest.Matchers.containsString("identifier or a name"));
        refused++;
        continue;
      }
      if (!validNhsNumber) {
        // Some published examples carry an NHS number whose check digit is wrong; PDS would refuse it, and so do we.
        given().auth().oauth2(Tokens.user("nurse.mht")).contentType("application/fhir+json")
            .body(Fhir.encode(sent)).post("/fhir/Patient")
            .then().statusCode(422)
            .body("issue[0].diagnostics", org.hamcrest.Matchers.containsString("modulus-11"));
        refused++;
        continue;
      }
      String id = given().auth().oauth2(Tokens.user("nurse.mht")).contentType("application/fhir+json")
          .body(Fhir.encode(sent)).post("/fhir/Patient")
          .then().log().ifValidationFails().statusCode(org.hamcrest.Matchers.oneOf(200, 201)).extract().path("id");
      Patient stored = Fhir.parse(Patient.class, given().auth().oauth2(Tokens.user("nurse.mht"))
          .get("/fhir/Patient/" + id).then().statusCode(200).extract().asString());

      assertThat(ukCore.errors(stored, UkCore.PATIENT)).as(name + " as stored").isEmpty();
      Patient comparable = stored.copy();
      comparable.setId((String) null);
      comparable.setMeta(original.getMeta().copy());
      sent.setMeta(original.getMeta().copy());
      assertThat(comparable.equalsDeep(sent)).as(name + " reads back unchanged").isTrue();
    }
    assertThat(refused).as("examples refused for their NHS number").isLessThan(examples.size() / 2);
  }

  @Test
  void thePatientsTellonceRegistersConformToUkCore() {
    UkCore ukCore = UkCore.get();
    Patient person = People.restricted(People.person());
    String id = People.register(person);
    Patient stored = Fhir.parse(Patient.class, given().auth().oauth2(Tokens.user("sw.council"))
        .get("/fhir/Patient/" + id).then().statusCode(200).extract().asString());
    assertThat(ukCore.errors(stored, UkCore.PATIENT)).isEmpty();
  }
}
