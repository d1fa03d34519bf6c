package org.tellonce.identity.directory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.tellonce.platform.fhir.FhirException;

/** The code systems tellonce's directory uses, and the token helpers the directory kinds share. */
public final class DirectoryCodes {

  public static final String ORGANIZATION_TYPE = "https://fhir.tellonce.org/CodeSystem/organization-type";
  public static final Set<String> ORGANIZATION_TYPES = Set.of("nhs-trust", "gp-practice", "council", "vcse", "ics",
      "independent-provider");

  public static final String CARE_ROLE = "https://fhir.tellonce.org/CodeSystem/care-role";
  public static final Set<String> CARE_ROLES = Set.of("care-coordinator", "clinical-lead", "social-worker", "gp",
      "nurse", "psychiatrist", "psychologist", "occupational-therapist", "pharmacist", "peer-support-worker",
      "support-worker", "housing-officer", "administrator");

  public static final String SERVICE_CATEGORY = "https://fhir.tellonce.org/CodeSystem/service-category";
  public static final Set<String> SERVICE_CATEGORIES = Set.of("community-mental-health", "crisis",
      "social-care-assessment", "carer-support", "housing", "social-prescribing", "substance-use",
      "discharge-follow-up", "primary-care", "wellbeing", "mental-health", "social-care");

  /** Keycloak username of the staff member a PractitionerRole belongs to. */
  public static final String KEYCLOAK_USERNAME = "https://fhir.tellonce.org/Id/keycloak-username";
  /** Localities (neighbourhoods) a HealthcareService covers; valueCode, repeatable. */
  public static final String LOCALITY = "https://fhir.tellonce.org/StructureDefinition/locality";
  /** How many open referrals a HealthcareService can hold; valueInteger. */
  public static final String CAPACITY = "https://fhir.tellonce.org/StructureDefinition/capacity";

  private DirectoryCodes() {}

  /** The codes of the concepts from one system, each checked against the allowed set. */
  static List<String> codes(List<CodeableConcept> concepts, String system, Set<String> allowed, String element,
      boolean required) {
    List<String> codes = new ArrayList<>();
    for (CodeableConcept concept : concepts) {
      for (Coding coding : concept.getCoding()) {
        if (system.equals(coding.getSystem())) {
          if (!allowed.contains(coding.getCode())) {
            throw FhirException.unprocessable(element + ": code '" + coding.getCode() + "' is not in " + system
                + "; allowed: " + new java.util.TreeSet<>(allowed));
          }
          codes.add(coding.getCode());
        }
      }
    }
    if (required && codes.isEmpty()) {
      throw FhirException.unprocessable(element + " needs a coding from " + system + " (one of "
          + new java.util.TreeSet<>(allowed) + ")");
    }
    return codes;
  }

  static void identifiers(List<Identifier> identifiers, String element, List<DirectoryKind.Token> tokens) {
    for (Identifier identifier : identifiers) {
      if (!identifier.hasSystem() || !identifier.hasValue()) {
        throw FhirException.unprocessable("Every " + element + " needs a system and a value");
      }
      if (identifier.getValue().length() > 200 || identifier.getSystem().length() > 300) {
        throw FhirException.unprocessable(element + " is too long");
      }
      tokens.add(new DirectoryKind.Token("identifier", identifier.getSystem() + "|" + identifier.getValue()));
    }
  }

  static String normalise(String name) {
    return name == null ? null : name.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }
}
