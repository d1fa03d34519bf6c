package org.tellonce.carerecord.council;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tellonce.carerecord.validation.RecordValidator;

/**
 * What each council event becomes: valid FHIR, every time. The listener does not validate the resources it builds
 * itself (validation is the costliest step of ingestion); this test is what keeps them valid.
 */
class CouncilEventsTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static RecordValidator validator;

  @BeforeAll
  static void load() throws Exception {
    validator = RecordValidator.of(Optional.empty());
  }

  static Resource map(String type, String data) throws Exception {
    return CouncilEvents.map(CouncilEvents.PREFIX + type, "LA001", "p-1", JSON.readTree(data));
  }

  @Test
  void everyMappedEventIsValidFhirAboutThePerson() throws Exception {
    Map<String, String> events = Map.of(
        "assessment.completed.v1", "{\"assessmentId\":\"A1\",\"kind\":\"review\",\"completed\":\"2026-02-20\"}",
        "carers-assessment.completed.v1", "{\"assessmentId\":\"A2\",\"completed\":\"2026-02-21T10:00:00Z\"}",
        "care-package.started.v1", "{\"packageId\":\"P1\",\"service\":\"Home care\",\"started\":\"2026-03-01\"}",
        "care-package.ended.v1", "{\"packageId\":\"P1\",\"started\":\"2026-03-01\",\"ended\":\"2026-06-30\"}",
        "safeguarding.concern-raised.v1", "{\"concernId\":\"C1\",\"raised\":\"2026-04-02T09:30:00Z\"}");
    for (Map.Entry<String, String> event : events.entrySet()) {
      Resource resource = map(event.getKey(), event.getValue());
      validator.check(resource);
      assertThat(org.tellonce.carerecord.record.RecordTypes.personId(resource)).as(event.getKey()).isEqualTo("p-1");
    }
    EpisodeOfCare ended = (EpisodeOfCare) map("care-package.ended.v1", events.get("care-package.ended.v1"));
    assertThat(ended.getStatus()).isEqualTo(EpisodeOfCare.EpisodeOfCareStatus.FINISHED);
    assertThat(ended.getIdentifierFirstRep().getSystem()).isEqualTo("https://tellonce.org/Id/council/LA001/care-package");
  }

  @Test
  void saysWhatIsMissingOrWrong() {
    assertThatThrownBy(() -> map("assessment.completed.v1", "{\"assessmentId\":\"A1\",\"kind\":\"chat\",\"completed\":\"2026-02-20\"}"))
        .hasMessageContaining("kind must be one of");
    assertThatThrownBy(() -> map("care-package.started.v1", "{\"packageId\":\"P1\",\"started\":\"soon\"}"))
        .hasMessageContaining("started must be a date");
    assertThatThrownBy(() -> map("fhir.v1", "{\"resourceType\":\"Nonsense\"}"))
        .hasMessageContaining("not a FHIR R4 resource");
  }
}
