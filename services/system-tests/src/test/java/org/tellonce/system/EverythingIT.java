package org.tellonce.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tellonce.system.SharedRecordIT.get;
import static org.tellonce.system.SharedRecordIT.person;
import static org.tellonce.system.SharedRecordIT.write;

import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.EventContracts;
import org.tellonce.testing.EventProbe;
import org.tellonce.testing.SharingAgreements;

/** {@code Patient/{id}/$everything} begins with the person index's Patient, as identity would show it to the caller. */
class EverythingIT {

  @BeforeAll
  static void underTheIcsAgreement() {
    SharingAgreements.ensure(Services.CONSENT);
  }

  @Test
  void everythingBeginsWithThePatientFromThePersonIndexOnTheFirstPageOnly() throws Exception {
    String personId = person();
    for (int i = 0; i < 3; i++) {
      write("nurse.mht", "Condition", """
          {"resourceType":"Condition","subject":{"reference":"Patient/%s"},"code":{"text":"Condition %d"},
           "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical",
           "code":"active"}]}}""".formatted(personId, i));
    }
    JsonPath first = get("sw.council", "/fhir/Patient/" + personId + "/$everything?_count=2");
    assertThat(first.getString("entry[0].resource.resourceType")).isEqualTo("Patient");
    assertThat(first.getString("entry[0].resource.id")).isEqualTo(personId);
    assertThat(first.getString("entry[0].resource.name[0].family")).isEqualTo("Record");
    assertThat(first.getString("entry[0].search.mode")).isEqualTo("match");
    String next = SharedRecordIT.link(first, "next");
    assertThat(next).isNotNull();
    JsonPath second = get("sw.council", "/" + next);
    assertThat(second.getList("entry.resource.resourceType")).doesNotContain("Patient");

    assertThat(get("sw.council", "/fhir/Patient/" + personId + "/$everything?_type=Patient")
        .getList("entry.resource.resourceType")).containsExactly("Patient", "OperationOutcome");
    assertThat(get("sw.council", "/fhir/Patient/" + personId + "/$everything?_type=Condition")
        .getList("entry.resource.resourceType")).doesNotContain("Patient").contains("Condition");

    // every access was audited in its contract, the Patient's disclosure included
    List<EventProbe.Event> audited = EventProbe.await(Services.TOPIC_PREFIX + "audit.v1",
        e -> personId.equals(e.key()) && e.data().contains("\"Patient/" + personId + "\""), 1, Duration.ofSeconds(30));
    assertThat(audited).isNotEmpty();
    for (EventProbe.Event event : EventProbe.await(Services.TOPIC_PREFIX + "audit.v1", e -> personId.equals(e.key()),
        1, Duration.ofSeconds(5))) {
      assertThat(EventContracts.problems(event)).isEmpty();
    }
  }
}
