package org.tellonce.carerecord.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

class IndexerTest {

  @Test
  void indexesCodesStatusesAndTheClinicalDateOfAChoiceElement() {
    Observation observation = new Observation();
    observation.setStatus(Observation.ObservationStatus.FINAL);
    observation.setCode(new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding("http://snomed.info/sct",
        "271649006", "Systolic blood pressure")));
    observation.setEffective(new DateTimeType("2024-03"));
    List<Indexer.Row> rows = Indexer.rows(observation);
    assertThat(rows).contains(new Indexer.Row("code", "http://snomed.info/sct", "271649006", null, null));
    assertThat(rows).contains(new Indexer.Row("status", "http://hl7.org/fhir/observation-status", "final", null,
        null));
    Indexer.Row date = rows.stream().filter(r -> r.param().equals("date")).findFirst().orElseThrow();
    assertThat(date.low()).isEqualTo(Instant.parse("2024-03-01T00:00:00Z"));
    assertThat(date.high()).isEqualTo(Instant.parse("2024-03-31T23:59:59.999Z"));
    assertThat(Indexer.clinicalDate(observation, rows)).isEqualTo(date.low());
  }

  @Test
  void anOpenPeriodRunsToTheEndOfTime() {
    Condition condition = new Condition();
    condition.setOnset(new Period().setStartElement(new DateTimeType("2020-01-01T10:00:00Z")));
    Indexer.Row onset = Indexer.rows(condition).stream().filter(r -> r.param().equals("onset-date")).findFirst()
        .orElseThrow();
    assertThat(onset.low()).isEqualTo(Instant.parse("2020-01-01T10:00:00Z"));
    assertThat(onset.high()).isEqualTo(Indexer.MAX);
  }

  @Test
  void indexesNestedReferencesAsLocalTypeAndId() {
    CarePlan plan = new CarePlan();
    plan.addGoal(new Reference("Goal/g1"));
    plan.addActivity().setReference(new Reference("https://example.org/fhir/Task/t1/_history/2"));
    plan.addActivity().setReference(new Reference("#contained"));
    List<Indexer.Row> rows = Indexer.rows(plan);
    assertThat(rows).contains(new Indexer.Row("goal", null, "Goal/g1", null, null),
        new Indexer.Row("activity-reference", null, "Task/t1", null, null));
    assertThat(rows).noneMatch(r -> "#contained".equals(r.code()));
  }

  @Test
  void indexesADueDateOfATask() {
    Task task = new Task();
    task.getRestriction().setPeriod(new Period().setEndElement(new DateTimeType("2026-12-01")));
    Indexer.Row due = Indexer.rows(task).stream().filter(r -> r.param().equals("due")).findFirst().orElseThrow();
    assertThat(due.low()).isEqualTo(Indexer.MIN);
    assertThat(due.high()).isEqualTo(Instant.parse("2026-12-01T23:59:59.999Z"));
  }

  @Test
  void readsOnlyReferencesIntoThisServer() {
    assertThat(Indexer.localReference("Encounter/e-1")).isEqualTo("Encounter/e-1");
    assertThat(Indexer.localReference("Encounter/e-1/_history/3")).isEqualTo("Encounter/e-1");
    assertThat(Indexer.localReference("urn:uuid:1234")).isNull();
    assertThat(Indexer.localReference("#x")).isNull();
    assertThat(Indexer.localReference("Encounter/../../etc")).isNull();
  }
}
