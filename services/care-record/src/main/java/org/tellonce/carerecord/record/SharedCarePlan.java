package org.tellonce.carerecord.record;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CarePlan.CarePlanActivityComponent;
import org.hl7.fhir.r4.model.Reference;
import org.tellonce.carerecord.access.DataClass;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.References;

/**
 * The shared care plan: one open CarePlan (draft, active or on hold) per person, which every organisation that may
 * see it contributes to. An activity another organisation adds carries it (extension {@value #CONTRIBUTOR}, stamped by
 * the record, never taken from the caller); the recording organisation's carry nothing; only an activity's own
 * organisation may change or remove it; goals are
 * Goal resources, which keep their own recording organisation. The plan carries no sensitivity labels, so everyone
 * who may see a person's care plan sees the same one: sensitive detail goes in the resources its activities and goals
 * refer to, which carry their own labels.
 */
public final class SharedCarePlan {

  public static final String TYPE = "CarePlan";
  public static final String CONTRIBUTOR = "https://fhir.tellonce.org/StructureDefinition/contributor";
  /** The statuses of a plan still in use: a person has at most one such plan. */
  static final Set<String> OPEN = Set.of("draft", "active", "on-hold");
  /** The class a caller must be allowed to see to start or add to a person's plan. */
  public static final DataClass PLAN = DataClass.of(TYPE, List.of());

  private SharedCarePlan() {}

  static boolean open(CarePlan plan) {
    return plan.hasStatus() && OPEN.contains(plan.getStatus().toCode());
  }

  /** The plan is for the whole care team: labels that would hide it from some of them are refused. */
  static void requireNoSensitivityLabels(List<String> labels) {
    if (!labels.isEmpty()) {
      throw FhirException.unprocessable("CarePlan.meta.security: the shared care plan is seen by everyone who may see"
          + " the person's care plan, so it carries no sensitivity labels (" + String.join(", ", labels) + "); keep"
          + " sensitive detail in the resources its activities and goals refer to, which carry their own labels");
    }
  }

  /**
   * Keeps each activity with the organisation that contributed it. Activities of the organisation that recorded the plan
   * carry nothing (so a plan one organisation keeps reads back exactly as it was sent); an activity another
   * organisation adds gets an id and the contributor extension, stamped here and never taken from the caller. Only an
   * activity's own organisation may change or remove it (403 naming it). {@code previous} is null for a new plan,
   * {@code recorder} the organisation that recorded it.
   */
  static void attribute(CarePlan proposed, CarePlan previous, String organization, String recorder) {
    Map<String, CarePlanActivityComponent> stamped = new HashMap<>();
    List<CarePlanActivityComponent> recorders = new ArrayList<>();
    if (previous != null) {
      for (CarePlanActivityComponent activity : previous.getActivity()) {
        if (activity.hasId() && contributor(activity) != null) {
          stamped.put(activity.getId(), activity);
        } else {
          recorders.add(activity);
        }
      }
    }
    Set<String> kept = new HashSet<>();
    int position = 0;
    for (CarePlanActivityComponent activity : proposed.getActivity()) {
      CarePlanActivityComponent earlier = activity.hasId() ? stamped.get(activity.getId()) : null;
      if (earlier != null && kept.add(activity.getId())) {
        String contributor = contributor(earlier);
        if (!organization.equals(contributor) && !sameApartFromContributor(activity, earlier)) {
          throw changedByAnother(position, contributor);
        }
        stamp(activity, contributor);
      } else if (removeSame(recorders, activity)) {
        // the recorder's activity, sent back as it was
        stamp(activity, null);
      } else if (previous == null || organization.equals(recorder)) {
        // the recorder's own, new or changed: carries nothing
        stamp(activity, null);
      } else {
        activity.setId(UUID.randomUUID().toString());
        stamp(activity, organization);
      }
      position++;
    }
    if (!recorders.isEmpty() && !organization.equals(recorder)) {
      throw FhirException.forbidden("An activity recorded by " + recorder + " was changed or left out; only "
          + recorder + " may change or remove it (or mark it cancelled). Send it back as it was and add your own");
    }
    for (CarePlanActivityComponent earlier : stamped.values()) {
      String contributor = contributor(earlier);
      if (!kept.contains(earlier.getId()) && !organization.equals(contributor)) {
        throw FhirException.forbidden("An activity contributed by " + contributor + " was left out; only "
            + contributor + " may remove it (or mark it cancelled). Send the plan with it unchanged");
      }
    }
  }

  /** Takes the first activity equal to this one (apart from a contributor) out of the list; false when none is. */
  private static boolean removeSame(List<CarePlanActivityComponent> activities, CarePlanActivityComponent activity) {
    for (int i = 0; i < activities.size(); i++) {
      if (sameApartFromContributor(activity, activities.get(i))) {
        activities.remove(i);
        return true;
      }
    }
    return false;
  }

  private static FhirException changedByAnother(int position, String contributor) {
    return FhirException.forbidden("CarePlan.activity[" + position + "] was contributed by " + contributor
        + "; only " + contributor + " may change it. Add your own activity alongside it");
  }

  static String contributor(CarePlanActivityComponent activity) {
    return activity.getExtension().stream().filter(e -> CONTRIBUTOR.equals(e.getUrl()))
        .map(e -> References.organizationCode((Reference) e.getValue())).findFirst().orElse(null);
  }

  private static void stamp(CarePlanActivityComponent activity, String organization) {
    activity.getExtension().removeIf(e -> CONTRIBUTOR.equals(e.getUrl()));
    if (organization != null) {
      activity.addExtension(CONTRIBUTOR, References.organization(organization));
    }
  }

  private static boolean sameApartFromContributor(CarePlanActivityComponent proposed,
      CarePlanActivityComponent earlier) {
    CarePlanActivityComponent a = proposed.copy();
    CarePlanActivityComponent b = earlier.copy();
    a.getExtension().removeIf(e -> CONTRIBUTOR.equals(e.getUrl()));
    b.getExtension().removeIf(e -> CONTRIBUTOR.equals(e.getUrl()));
    return a.equalsDeep(b);
  }
}
