package org.tellonce.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.SharingAgreements;
import org.tellonce.testing.Tokens;
import org.tellonce.testing.UkCore;

/**
 * The UK Core examples of every type the shared record holds are accepted (validated against the profiles they
 * claim) and read back unchanged: the same content, under the record's ids, about the person registered here (an
 * example that names no one is recorded about that person; a reference to an encounter outside the examples, to one
 * recorded for it).
 */
class UkCoreExamplesIT {

  static final List<String> TYPES = List.of("AllergyIntolerance", "CarePlan", "Condition", "DocumentReference",
      "Encounter", "EpisodeOfCare", "Flag", "Goal", "MedicationStatement", "Observation", "QuestionnaireResponse",
      "RelatedPerson", "Task");

  static final Map<String, String> PERSON_ELEMENT = Map.of("AllergyIntolerance", "patient", "EpisodeOfCare",
      "patient", "RelatedPerson", "patient", "Task", "for");

  static final String ENCOUNTER = """
      {"resourceType":"Encounter","status":"finished",
       "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},
       "subject":{"reference":"Patient/%s"}}
      """;

  /** Whether the reference is the element that names the person (subject, patient or for). */
  static boolean isPersonElement(Resource resource, Reference reference) {
    for (String element : List.of("subject", "patient", "for")) {
      var property = resource.getNamedProperty(element);
      if (property != null && property.getValues().contains(reference)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void everyExampleIsAcceptedAndReadBackUnchanged() throws Exception {
    UkCore ukCore = UkCore.get();
    SharingAgreements.ensure(Services.CONSENT);
    String personId = People.register("nurse.mht", "Example", "Uk", "1980-01-01");
    People.careTeam("nurse.mht", personId, "MHT01");

    List<Resource> pending = new ArrayList<>();
    for (String type : TYPES) {
      for (IBaseResource example : ukCore.examples(type)) {
        pending.add((Resource) example);
      }
    }
    assertThat(pending).hasSizeGreaterThanOrEqualTo(40);
    // Examples reference each other (an Observation its Encounter): store them in passes, each once its targets are.
    Map<String, String> stored = new LinkedHashMap<>();
    Map<String, Resource> sent = new LinkedHashMap<>();
    List<String> refused = new ArrayList<>();
    while (!pending.isEmpty()) {
      List<Resource> next = new ArrayList<>();
      for (Resource example : pending) {
        Resource body = example.copy();
        String original = example.fhirType() + "/" + example.getIdElement().getIdPart();
        body.setId((String) null);
        body.getMeta().setVersionId(null).setLastUpdated(null);
        // The record is of a person: an example about no one (it has no subject) is recorded about the person here.
        String element = PERSON_ELEMENT.getOrDefault(body.fhirType(), "subject");
        if (!body.getNamedProperty(element).hasValues()) {
          body.setProperty(element, new Reference("Patient/" + personId));
        }
        boolean waiting = false;
        for (Reference reference : ukCore.context().newTerser().getAllPopulatedChildElementsOfType(body,
            Reference.class)) {
          String target = reference.getReference();
          if (target == null) {
            continue;
          }
          if (target.startsWith("Patient/") || (target.startsWith("urn:uuid:") && isPersonElement(body, reference))) {
            reference.setReference("Patient/" + personId);
          } else if (target.startsWith("Encounter/") && !stored.containsKey(target) && pending.stream().noneMatch(p ->
              (p.fhirType() + "/" + p.getIdElement().getIdPart()).equals(target))) {
            // An encounter the examples name but do not include: the record keeps references whole, so record one.
            stored.put(target, "Encounter/" + given().auth().oauth2(Tokens.user("nurse.mht"))
                .baseUri(Services.CARE_RECORD).contentType("application/fhir+json")
                .body(ENCOUNTER.formatted(personId)).post("/fhir/Encounter").then().statusCode(201)
                .extract().path("id"));
            reference.setReference(stored.get(target));
          } else if (stored.containsKey(target)) {
            reference.setReference(stored.get(target));
          } else if (TYPES.contains(target.split("/")[0]) && pending.stream().anyMatch(p ->
              (p.fhirType() + "/" + p.getIdElement().getIdPart()).equals(target))) {
            waiting = true;
          }
        }
        if (waiting) {
          next.add(example);
          continue;
        }
        var response = given().auth().oauth2(Tokens.user("nurse.mht")).baseUri(Services.CARE_RECORD)
            .contentType("application/fhir+json").body(ukCore.context().newJsonParser().encodeResourceToString(body))
            .post("/fhir/" + body.fhirType());
        if (response.statusCode() == 201) {
          stored.put(original, body.fhirType() + "/" + response.path("id"));
          sent.put(original, body);
        } else {
          refused.add(original + " " + response.statusCode() + " " + response.body().asString());
        }
      }
      assertThat(next).as("examples whose references never resolve").hasSizeLessThan(pending.size());
      pending = next;
    }
    assertThat(refused).isEmpty();

    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() ->
        given().auth().oauth2(Tokens.user("nurse.mht")).baseUri(Services.CARE_RECORD)
            .get("/fhir/" + stored.values().iterator().next()).statusCode() == 200);
    assertThat(sent).hasSizeGreaterThanOrEqualTo(40);
    for (Map.Entry<String, Resource> entry : sent.entrySet()) {
      var answer = given().auth().oauth2(Tokens.user("nurse.mht")).baseUri(Services.CARE_RECORD)
          .get("/fhir/" + stored.get(entry.getKey())).then().statusCode(200).extract();
      String json = answer.asString();
      Resource read = (Resource) ukCore.context().newJsonParser().parseResource(json);
      // answered as stored, without a parse and a second encoding: exactly what HAPI's encoder makes of it, and the
      // headers of its version
      assertThat(json).as(entry.getKey() + " as HAPI encodes it").isEqualTo(ukCore.context().newJsonParser()
          .encodeResourceToString(read));
      assertThat(answer.header("ETag")).isEqualTo("W/\"" + read.getMeta().getVersionId() + "\"");
      assertThat(answer.header("Last-Modified")).isNotBlank();
      assertThat(answer.contentType()).startsWith("application/fhir+json");
      read.setId((String) null);
      read.getMeta().setVersionId(null).setLastUpdated(null);
      read.getMeta().getTag().removeIf(tag -> "https://tellonce.org/CodeSystem/source-organization".equals(
          tag.getSystem()));
      Resource expected = entry.getValue();
      assertThat(ukCore.context().newJsonParser().encodeResourceToString(read))
          .as(entry.getKey() + " read back")
          .isEqualTo(ukCore.context().newJsonParser().encodeResourceToString(expected));
    }
  }
}
