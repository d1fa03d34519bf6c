package org.tellonce.carerecord.record;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Reference;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.References;

/** The resource types the shared record holds, and the element of each that names the person. */
public final class RecordTypes {

  /** Written by the record itself with every change; readable and searchable, never posted. */
  public static final String PROVENANCE = "Provenance";

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
      Map.entry("RelatedPerson", "patient"),
      Map.entry("Task", "for"),
      Map.entry(PROVENANCE, "patient")));

  private RecordTypes() {}

  public static Set<String> supported() {
    return PERSON_ELEMENT.keySet();
  }

  public static boolean holds(String type) {
    return PERSON_ELEMENT.containsKey(type);
  }

  /** Fails with 404 for a type the record does not hold, as FHIR servers do for an unknown endpoint. */
  public static void require(String type) {
    if (!PERSON_ELEMENT.containsKey(type)) {
      throw new FhirException(404, IssueType.NOTSUPPORTED,
          "The shared care record does not hold resource type '" + type + "'; it holds " + supported());
    }
  }

  /** As {@link #require}, and a 405 for Provenance, which only the record writes. */
  public static void requireWritable(String type) {
    require(type);
    if (PROVENANCE.equals(type)) {
      throw new FhirException(405, IssueType.NOTSUPPORTED,
          "Provenance is written by the shared record with every change; it cannot be posted or changed");
    }
  }

  /** The search parameter naming the person for this type: {@code patient}, {@code subject} or {@code for}. */
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
