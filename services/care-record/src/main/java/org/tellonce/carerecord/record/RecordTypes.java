package org.tellonce.carerecord.record;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Reference;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.References;

/** The resource types the shared record holds, and the element of each that names the person. */
public final class RecordTypes {

  private static final Map<String, String> PERSON_ELEMENT = new TreeMap<>(Map.ofEntries(
      Map.entry("AllergyIntolerance", "patient"),
      Map.entry("Condition", "subject"),
      Map.entry("CarePlan", "subject"),
      Map.entry("Flag", "subject"),
      Map.entry("Observation", "subject"),
      Map.entry("MedicationStatement", "subject"),
      Map.entry("Encounter", "subject"),
      Map.entry("EpisodeOfCare", "patient"),
      Map.entry("Goal", "subject"),
      Map.entry("DocumentReference", "subject"),
      Map.entry("QuestionnaireResponse", "subject"),
      Map.entry("Task", "for")));

  private RecordTypes() {}

  public static Set<String> supported() {
    return PERSON_ELEMENT.keySet();
  }

  /** Fails with 404 for a type the record does not hold, as FHIR servers do for an unknown endpoint. */
  public static void require(String type) {
    if (!PERSON_ELEMENT.containsKey(type)) {
      throw new FhirException(404, org.hl7.fhir.r4.model.OperationOutcome.IssueType.NOTSUPPORTED,
          "The shared care record does not hold resource type '" + type + "'; it holds " + supported());
    }
  }

  /** The search parameter and element naming the person for this type: {@code patient} or {@code subject}. */
  public static String personElement(String type) {
    return PERSON_ELEMENT.get(type);
  }

  /** The id of the person the resource is about, or a 422 naming the element to fill in. */
  public static String personId(IBaseResource resource) {
    String type = resource.fhirType();
    String element = PERSON_ELEMENT.get(type);
    Reference reference = Fhir.context().newTerser().getSingleValueOrNull(resource, element, Reference.class);
    return References.patientId(reference, type + "." + element);
  }
}
