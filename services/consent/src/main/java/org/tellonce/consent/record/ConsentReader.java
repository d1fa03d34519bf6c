package org.tellonce.consent.record;

import org.tellonce.platform.decision.Purposes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Consent.ConsentProvisionType;
import org.hl7.fhir.r4.model.Consent.provisionActorComponent;
import org.hl7.fhir.r4.model.Consent.ProvisionComponent;
import org.tellonce.consent.decision.ConsentPolicy;
import org.tellonce.consent.decision.ConsentPolicy.Provision;
import org.tellonce.consent.decision.ConsentPolicy.Type;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.References;

/** Checks a FHIR R4 Consent for what tellonce needs and reads it into a {@link ConsentPolicy}. */
public final class ConsentReader {

  public static final String SCOPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/consentscope";
  public static final String PATIENT_PRIVACY = "patient-privacy";
  /** Consent.policy.uri of a National Data Opt-out: kept apart, it applies only beyond individual care. */
  public static final String NATIONAL_OPT_OUT = "https://digital.nhs.uk/services/national-data-opt-out";
  private static final int MAX_DEPTH = 5;
  /** How far ahead of this server's clock a recorded time may be (clock skew between systems). */
  private static final java.time.Duration SKEW = java.time.Duration.ofMinutes(5);

  private ConsentReader() {}

  /**
   * A Consent checked whole: the person it is about, its provisions as read, and whether it records a National Data
   * Opt-out. {@link #objection()} says whether it objects to sharing for direct care.
   */
  public record Checked(String personId, Provision root, boolean nationalOptOut) {

    /**
     * Whether the Consent objects to sharing for direct care: a deny provision that can apply to a direct-care
     * purpose (its purposes, and its parents', include one or say none). Such an objection is reviewed by a senior
     * clinician or privacy officer; a refusal only of research or planning is not, nor is a National Data Opt-out.
     */
    public boolean objection() {
      return !nationalOptOut && objects(root, null);
    }
  }

  /** Checks the whole resource; a 422 says what is wrong. */
  public static Checked validate(Consent consent) {
    if (!consent.hasStatus()) {
      throw FhirException.unprocessable("Consent.status is required");
    }
    if (!hasCoding(consent.getScope(), SCOPE_SYSTEM, PATIENT_PRIVACY)) {
      throw FhirException.unprocessable("Consent.scope must be patient-privacy (system " + SCOPE_SYSTEM + ")");
    }
    if (!consent.hasCategory()) {
      throw FhirException.unprocessable("Consent.category is required (for example LOINC 59284-0, consent document)");
    }
    String personId = References.patientId(consent.getPatient(), "Consent.patient");
    if (!consent.hasProvision()) {
      throw FhirException.unprocessable("Consent.provision is required: it says what is permitted or denied");
    }
    if (!consent.getProvision().hasType()) {
      throw FhirException.unprocessable("Consent.provision.type is required (permit or deny)");
    }
    if (consent.hasDateTime() && consent.getDateTime().toInstant().isAfter(Instant.now().plus(SKEW))) {
      throw FhirException.unprocessable("Consent.dateTime is in the future: record a consent or withdrawal when it"
          + " is given; to end sharing on a later day, set provision.period.end");
    }
    Provision root = read(consent.getProvision(), "Consent.provision", 1);
    boolean nationalOptOut = isNationalOptOut(consent);
    if (nationalOptOut) {
      if (root.type() != Type.DENY || !root.organizations().isEmpty() || !root.exceptions().isEmpty()) {
        throw FhirException.unprocessable("A National Data Opt-out (Consent.policy.uri " + NATIONAL_OPT_OUT
            + ") is one deny provision without actors or nested provisions: it applies to every organisation");
      }
      if (root.purposes().stream().anyMatch(Purposes.DIRECT_CARE::contains)) {
        throw FhirException.unprocessable("The National Data Opt-out does not apply to individual care: leave"
            + " direct-care purposes (" + new java.util.TreeSet<>(Purposes.DIRECT_CARE) + ") out of its provision");
      }
    }
    return new Checked(personId, root, nationalOptOut);
  }

  public static ConsentPolicy policy(String consentId, Consent consent, ConsentPolicy.Objection objection,
      String givenBy) {
    return new ConsentPolicy(consentId, read(consent.getProvision(), "Consent.provision", 1), recorded(consent),
        objection, givenBy);
  }

  /** Whether the Consent records the person's National Data Opt-out. */
  private static boolean isNationalOptOut(Consent consent) {
    return consent.getPolicy().stream().anyMatch(policy -> NATIONAL_OPT_OUT.equals(policy.getUri()));
  }

  private static boolean objects(Provision provision, Set<String> inherited) {
    Set<String> purposes = inherited;
    if (!provision.purposes().isEmpty()) {
      purposes = new java.util.HashSet<>(provision.purposes());
      if (inherited != null) {
        purposes.retainAll(inherited);
      }
    }
    boolean direct = purposes == null || purposes.stream().anyMatch(Purposes.DIRECT_CARE::contains);
    if (provision.type() == Type.DENY && direct) {
      return true;
    }
    for (Provision exception : provision.exceptions()) {
      if (objects(exception, purposes)) {
        return true;
      }
    }
    return false;
  }

  /** The day the person gave the Consent (Consent.dateTime, else when it was last recorded), or null. */
  private static java.time.LocalDate recorded(Consent consent) {
    java.util.Date when = consent.hasDateTime() ? consent.getDateTime() : consent.getMeta().getLastUpdated();
    return when == null ? null : when.toInstant().atZone(java.time.ZoneOffset.UTC).toLocalDate();
  }

  private static Provision read(ProvisionComponent provision, String path, int depth) {
    if (depth > MAX_DEPTH) {
      throw FhirException.unprocessable("Consent provisions may be nested at most " + MAX_DEPTH + " deep");
    }
    Set<String> organizations = new LinkedHashSet<>();
    for (provisionActorComponent actor : provision.getActor()) {
      String organization = References.organizationCode(actor.getReference());
      if (organization == null) {
        throw FhirException.unprocessable(path + ".actor.reference must be an Organization by identifier (system "
            + References.ODS_SYSTEM + ")");
      }
      organizations.add(organization);
    }
    Set<String> purposes = new LinkedHashSet<>();
    for (Coding purpose : provision.getPurpose()) {
      if (!Purposes.SYSTEM.equals(purpose.getSystem()) || !Purposes.KNOWN.contains(purpose.getCode())) {
        throw FhirException.unprocessable(path + ".purpose must be one of " + Purposes.KNOWN + " from "
            + Purposes.SYSTEM);
      }
      purposes.add(purpose.getCode());
    }
    Set<String> resourceTypes = new LinkedHashSet<>();
    for (Coding resourceClass : provision.getClass_()) {
      if (!resourceClass.hasCode()) {
        throw FhirException.unprocessable(path + ".class needs a code (a FHIR resource type)");
      }
      resourceTypes.add(resourceClass.getCode());
    }
    Set<String> labels = new LinkedHashSet<>();
    for (Coding label : provision.getSecurityLabel()) {
      if (!label.hasCode()) {
        throw FhirException.unprocessable(path + ".securityLabel needs a code");
      }
      labels.add(label.getCode());
    }
    Instant start = provision.getPeriod().hasStart() ? provision.getPeriod().getStart().toInstant() : null;
    Instant end = provision.getPeriod().hasEnd() ? provision.getPeriod().getEnd().toInstant() : null;
    if (start != null && end != null && end.isBefore(start)) {
      throw FhirException.unprocessable(path + ".period ends before it starts");
    }
    List<Provision> exceptions = new ArrayList<>();
    for (ProvisionComponent nested : provision.getProvision()) {
      if (!nested.hasType()) {
        throw FhirException.unprocessable(path + ".provision.type is required (permit or deny)");
      }
      exceptions.add(read(nested, path + ".provision", depth + 1));
    }
    Type type = !provision.hasType() ? null
        : provision.getType() == ConsentProvisionType.PERMIT ? Type.PERMIT : Type.DENY;
    return new Provision(type, Set.copyOf(organizations), Set.copyOf(purposes), Set.copyOf(resourceTypes),
        Set.copyOf(labels), start, end, List.copyOf(exceptions));
  }

  private static boolean hasCoding(CodeableConcept concept, String system, String code) {
    return concept != null && concept.getCoding().stream()
        .anyMatch(c -> system.equals(c.getSystem()) && code.equals(c.getCode()));
  }
}
