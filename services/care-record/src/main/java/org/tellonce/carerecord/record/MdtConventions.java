package org.tellonce.carerecord.record;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Task;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.References;

/**
 * MDT working in the record. A multidisciplinary team meeting is recorded as one Encounter per person discussed, of
 * class {@value #MDT} ({@value #CLASS_SYSTEM}): the meeting it belongs to ({@code identifier} of system
 * {@value #MEETING_SYSTEM}, the same on every person's Encounter of that meeting), when it was held
 * ({@code period.start}), the attendees ({@code participant.individual}) and the organisation that chaired it
 * ({@code serviceProvider}); why the person was discussed in {@code reasonCode}. Its actions are Tasks whose
 * {@code encounter} is that Encounter, each with an owning organisation ({@code owner}) and a due date
 * ({@code restriction.period.end}), so that overdue actions can be found and counted.
 */
public final class MdtConventions {

  public static final String CLASS_SYSTEM = "https://fhir.tellonce.org/CodeSystem/encounter-class";
  public static final String MDT = "mdt";
  public static final String MEETING_SYSTEM = "https://fhir.tellonce.org/Id/mdt-meeting";

  private MdtConventions() {}

  public static boolean isMdt(Encounter encounter) {
    return encounter.hasClass_() && CLASS_SYSTEM.equals(encounter.getClass_().getSystem())
        && MDT.equals(encounter.getClass_().getCode());
  }

  /** An MDT discussion names its meeting, its date, its attendees and who chaired it: 422 with every gap. */
  static void checkDiscussion(Encounter encounter) {
    List<String> problems = new ArrayList<>();
    if (encounter.getIdentifier().stream().noneMatch(i -> MEETING_SYSTEM.equals(i.getSystem()) && i.hasValue())) {
      problems.add("Encounter.identifier: the meeting this discussion belongs to (system " + MEETING_SYSTEM + ")");
    }
    if (!encounter.hasPeriod() || !encounter.getPeriod().hasStart()) {
      problems.add("Encounter.period.start: when the meeting was held");
    }
    if (encounter.getParticipant().isEmpty() || encounter.getParticipant().stream().anyMatch(p -> !p.hasIndividual())) {
      problems.add("Encounter.participant: the attendees, each with an individual (PractitionerRole, Practitioner or"
          + " RelatedPerson)");
    }
    if (References.organizationCode(encounter.getServiceProvider()) == null) {
      problems.add("Encounter.serviceProvider: the organisation that chaired the meeting, by ODS or council code");
    }
    refuse("An MDT discussion", problems);
  }

  /** An action of an MDT discussion has an owning organisation and a due date: 422 with every gap. */
  static void checkAction(Task task) {
    List<String> problems = new ArrayList<>();
    if (References.organizationCode(task.getOwner()) == null) {
      problems.add("Task.owner: the organisation that owns the action, by ODS or council code");
    }
    if (!task.hasRestriction() || !task.getRestriction().hasPeriod() || !task.getRestriction().getPeriod().hasEnd()) {
      problems.add("Task.restriction.period.end: when the action is due");
    }
    refuse("An MDT action", problems);
  }

  /** The Encounter id a Task names as its {@code encounter}, or null. */
  static String encounterId(Task task) {
    String reference = task.getEncounter().getReference();
    return reference != null && reference.startsWith("Encounter/") ? reference.substring("Encounter/".length()) : null;
  }

  private static void refuse(String what, List<String> problems) {
    if (!problems.isEmpty()) {
      throw FhirException.unprocessable(what + " needs: " + String.join("; ", problems));
    }
  }
}
