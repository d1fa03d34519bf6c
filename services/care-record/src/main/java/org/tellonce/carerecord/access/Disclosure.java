package org.tellonce.carerecord.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Resource;
import org.tellonce.platform.decision.DecisionResponse.ItemDecision;
import org.tellonce.platform.decision.Obligations;

/**
 * Carries out the obligations of a permit on what is disclosed. An obligation this enforcement point does not know
 * makes the permit unusable (fail closed): it is treated as a denial.
 */
public final class Disclosure {

  static final Set<String> UNDERSTOOD = Set.of(Obligations.AUDIT, Obligations.REDACT_CONTACT_DETAILS,
      Obligations.NOTIFY_PRIVACY_OFFICER);
  /** The elements that carry a person's address and contact details. */
  static final List<String> CONTACT_ELEMENTS = List.of("address", "telecom", "contact");
  /** The free-text elements a {@code redact:} obligation may name. */
  static final Set<String> REDACTABLE = Set.of("text", "note", "description", "comment");

  private Disclosure() {}

  /** Whether every obligation of the decision can be carried out here. */
  public static boolean understood(ItemDecision decision) {
    return decision.obligations() == null || decision.obligations().stream().allMatch(obligation ->
        UNDERSTOOD.contains(obligation) || (!Obligations.redactedElements(obligation).isEmpty()
            && REDACTABLE.containsAll(Obligations.redactedElements(obligation))));
  }

  public static boolean needsChange(ItemDecision decision) {
    return !withheld(decision).isEmpty();
  }

  /** The elements the decision's obligations withhold. */
  static List<String> withheld(ItemDecision decision) {
    List<String> elements = new ArrayList<>();
    if (decision == null || decision.obligations() == null) {
      return elements;
    }
    for (String obligation : decision.obligations()) {
      if (Obligations.REDACT_CONTACT_DETAILS.equals(obligation)) {
        elements.addAll(CONTACT_ELEMENTS);
      }
      elements.addAll(Obligations.redactedElements(obligation));
    }
    return elements;
  }

  /** The resource as the decision lets it be disclosed. */
  public static Resource apply(Resource resource, ItemDecision decision) {
    if (!needsChange(decision)) {
      return resource;
    }
    boolean removed = false;
    for (String element : withheld(decision)) {
      Property property = resource.getNamedProperty(element);
      if (property != null && property.hasValues()) {
        for (Base value : new ArrayList<>(property.getValues())) {
          resource.removeChild(element, value);
        }
        removed = true;
      }
    }
    if (removed) {
      resource.getMeta().addSecurity(Obligations.redactedLabel());
    }
    return resource;
  }
}
