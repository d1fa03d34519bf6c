package org.tellonce.consent.authority;

import java.time.LocalDate;
import java.time.Period;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;
import org.tellonce.platform.fhir.FhirException;

/**
 * Who recorded a Consent and with what authority, checked against the law of England and Wales as tellonce applies it
 * (docs/consent-model.md, "Authority"). The performer is the person themself, a representative (a contained
 * RelatedPerson whose relationship says the authority: Health and Welfare LPA, Property and Financial Affairs LPA,
 * court-appointed deputy, parental responsibility) or a practitioner recording a best-interests decision with a
 * reference to the capacity assessment. The same rules decide whether a recorded Consent still binds: an attorney's,
 * deputy's, parent's or best-interests Consent binds only while the facts that gave the authority hold.
 */
public final class Authority {

  public static final String AUTHORITY_SYSTEM = "https://tellonce.org/fhir/CodeSystem/representative-authority";
  public static final String DEPUTY_SCOPE = "https://tellonce.org/fhir/StructureDefinition/deputy-order-scope";
  public static final String CAPACITY_ASSESSMENT =
      "https://tellonce.org/fhir/StructureDefinition/capacity-assessment";
  /** The decision tellonce's consents are about, as capacity assessments and deputy orders name it. */
  public static final String INFORMATION_SHARING = "information-sharing";

  public enum Basis {
    SELF("the person"),
    LPA_HEALTH_WELFARE("the person's attorney (Health and Welfare LPA)"),
    COURT_DEPUTY("the person's deputy (Court of Protection)"),
    PARENTAL_RESPONSIBILITY("a person with parental responsibility"),
    BEST_INTERESTS("a practitioner, deciding in the person's best interests");

    private final String who;

    Basis(String who) {
      this.who = who;
    }

    /** Who gave the Consent, as decisions say it. */
    public String who() {
      return who;
    }
  }

  /** What tellonce knows of the person when it checks authority: birth date and the latest capacity assessment. */
  public record Facts(LocalDate birthDate, Capacity capacity, LocalDate today) {
    Integer age() {
      return birthDate == null ? null : Period.between(birthDate, today).getYears();
    }

    boolean lacksCapacity() {
      return capacity != null && !capacity.hasCapacity();
    }

    boolean competent() {
      return capacity != null && capacity.hasCapacity();
    }
  }

  /** The latest capacity assessment for decisions about sharing information: its outcome, day and reference. */
  public record Capacity(boolean hasCapacity, LocalDate assessed, String assessment) {}

  /** The authority of a Consent: its basis and, for a representative, the registration or order reference. */
  public record Checked(Basis basis, String reference) {}

  /**
   * What a Consent claims about its authority, read once from the resource (immutable, so it can be kept with the
   * parsed Consent): the basis, the registration, order or assessment reference, and a deputy order's period.
   */
  public record Claim(Basis basis, String reference, LocalDate orderStart, LocalDate orderEnd) {}

  private Authority() {}

  /**
   * The authority under which the Consent was recorded, or a 422 saying why it has none. {@code personId} is the
   * person the Consent is about.
   */
  public static Checked check(Consent consent, String personId, Facts facts) {
    Claim claim = claim(consent, personId);
    grant(claim, facts);
    return new Checked(claim.basis(), claim.reference());
  }

  /**
   * Whether a Consent recorded under this claim still binds with the person's facts today: the person's own always
   * does (it was given with capacity); a representative's or best-interests one only while the authority would still
   * be granted.
   */
  public static boolean binds(Claim claim, Facts facts) {
    if (claim.basis() == Basis.SELF) {
      return true;
    }
    try {
      grant(claim, facts);
      return true;
    } catch (FhirException e) {
      return false;
    }
  }

  /** Reads the claim of a Consent; a 422 says what is missing or never gives authority. */
  public static Claim claim(Consent consent, String personId) {
    if (!consent.hasPerformer()) {
      throw FhirException.unprocessable("Consent.performer is required: who gave the consent — the person"
          + " (Patient/" + personId + "), a representative (a contained RelatedPerson with their authority), or a"
          + " practitioner recording a best-interests decision");
    }
    if (consent.getPerformer().size() > 1) {
      throw FhirException.unprocessable("Consent.performer must name one person: who gave the consent");
    }
    String reference = consent.getPerformer().get(0).getReference();
    if (reference == null) {
      throw FhirException.unprocessable("Consent.performer must be a reference (Patient/{id}, #contained"
          + " RelatedPerson, Practitioner/{id} or PractitionerRole/{id})");
    }
    if (reference.startsWith("Patient/")) {
      if (!reference.equals("Patient/" + personId)) {
        throw FhirException.unprocessable("Consent.performer names another person; the person, or a representative"
            + " as a contained RelatedPerson, gives consent");
      }
      return new Claim(Basis.SELF, null, null, null);
    }
    if (reference.startsWith("Practitioner/") || reference.startsWith("PractitionerRole/")) {
      Extension extension = consent.getExtensionByUrl(CAPACITY_ASSESSMENT);
      if (extension == null || !(extension.getValue() instanceof Reference assessment) || !assessment.hasReference()) {
        throw FhirException.unprocessable("A best-interests decision must reference the capacity assessment it rests"
            + " on (extension " + CAPACITY_ASSESSMENT + ", valueReference)");
      }
      return new Claim(Basis.BEST_INTERESTS, assessment.getReference(), null, null);
    }
    if (reference.startsWith("#")) {
      return representative(contained(consent, reference.substring(1)), personId);
    }
    throw FhirException.unprocessable("Consent.performer must be Patient/" + personId + ", a #contained RelatedPerson,"
        + " Practitioner/{id} or PractitionerRole/{id}");
  }

  /** Checks a claim against the person's facts; a 422 says why the authority does not hold. */
  static void grant(Claim claim, Facts facts) {
    Integer age = facts.age();
    switch (claim.basis()) {
      case SELF -> self(facts);
      case LPA_HEALTH_WELFARE -> {
        if (age != null && age < 18) {
          throw FhirException.unprocessable("An LPA is made by an adult; the person is under 18");
        }
        lacking(facts, Basis.LPA_HEALTH_WELFARE);
      }
      case COURT_DEPUTY -> {
        if ((claim.orderStart() != null && facts.today().isBefore(claim.orderStart()))
            || (claim.orderEnd() != null && facts.today().isAfter(claim.orderEnd()))) {
          throw FhirException.unprocessable("The deputy's court order is not in force today (RelatedPerson.period)");
        }
        lacking(facts, Basis.COURT_DEPUTY);
      }
      case PARENTAL_RESPONSIBILITY -> parental(facts);
      case BEST_INTERESTS -> {
        if (age != null && age < 16) {
          throw FhirException.unprocessable("The person is under 16: the Mental Capacity Act's best-interests"
              + " decisions apply from 16; a person with parental responsibility decides");
        }
        if (!facts.lacksCapacity()) {
          throw FhirException.unprocessable("A best-interests decision needs the person to be recorded as lacking"
              + " capacity to decide about sharing their information; they are not (POST /capacity-assessments"
              + " records the assessment)");
        }
        if (!claim.reference().equals(facts.capacity().assessment())) {
          throw FhirException.unprocessable("The best-interests decision references " + claim.reference()
              + ", but the person's latest capacity assessment for this decision is "
              + facts.capacity().assessment());
        }
      }
    }
  }

  private static void self(Facts facts) {
    Integer age = facts.age();
    if (age != null && age < 16 && !facts.competent()) {
      throw FhirException.unprocessable("The person is under 16 and is not recorded as competent (Gillick) to decide"
          + " about sharing their information: record that assessment, or a person with parental responsibility"
          + " decides");
    }
    if ((age == null || age >= 16) && facts.lacksCapacity()) {
      throw FhirException.unprocessable("The person is recorded as lacking capacity to decide about sharing their"
          + " information (assessed " + facts.capacity().assessed() + "): their attorney under a Health and Welfare"
          + " LPA, a court-appointed deputy, or a best-interests decision records it");
    }
  }

  private static RelatedPerson contained(Consent consent, String id) {
    for (Resource resource : consent.getContained()) {
      String containedId = resource.getIdElement().getIdPart();
      if (resource instanceof RelatedPerson person && (id.equals(containedId) || ("#" + id).equals(containedId))) {
        return person;
      }
    }
    throw FhirException.unprocessable("Consent.performer #" + id + " must be a RelatedPerson contained in the Consent");
  }

  private static Claim representative(RelatedPerson representative, String personId) {
    if (!representative.hasPatient() || !("Patient/" + personId).equals(representative.getPatient().getReference())) {
      throw FhirException.unprocessable("The representative (RelatedPerson.patient) must be the representative of"
          + " Patient/" + personId);
    }
    Optional<String> code = representative.getRelationship().stream()
        .flatMap(concept -> concept.getCoding().stream())
        .filter(coding -> AUTHORITY_SYSTEM.equals(coding.getSystem()))
        .map(Coding::getCode)
        .findFirst();
    if (code.isEmpty()) {
      throw FhirException.unprocessable("The representative's authority is required: RelatedPerson.relationship with"
          + " system " + AUTHORITY_SYSTEM + " (lpa-health-welfare, lpa-property-finance, court-deputy,"
          + " parental-responsibility)");
    }
    return switch (code.get()) {
      case "lpa-property-finance" -> throw FhirException.unprocessable("A Property and Financial Affairs LPA gives no"
          + " authority over health and care information: only a Health and Welfare LPA does");
      case "lpa-health-welfare" -> new Claim(Basis.LPA_HEALTH_WELFARE, registration(representative,
          "the LPA's registration reference (Office of the Public Guardian)"), null, null);
      case "court-deputy" -> {
        String order = registration(representative, "the Court of Protection order reference");
        List<String> scope = representative.getExtensionsByUrl(DEPUTY_SCOPE).stream()
            .filter(e -> e.getValue() instanceof CodeType)
            .map(e -> ((CodeType) e.getValue()).getValue())
            .toList();
        if (!scope.contains(INFORMATION_SHARING)) {
          throw FhirException.unprocessable("The deputy's court order does not cover decisions about sharing the"
              + " person's information (extension " + DEPUTY_SCOPE + " with valueCode " + INFORMATION_SHARING + ")");
        }
        if (!representative.hasPeriod()) {
          throw FhirException.unprocessable("The deputy's court order period is required (RelatedPerson.period)");
        }
        yield new Claim(Basis.COURT_DEPUTY, order,
            representative.getPeriod().hasStart() ? day(representative.getPeriod().getStart()) : null,
            representative.getPeriod().hasEnd() ? day(representative.getPeriod().getEnd()) : null);
      }
      case "parental-responsibility" -> new Claim(Basis.PARENTAL_RESPONSIBILITY, null, null, null);
      default -> throw FhirException.unprocessable("Unknown representative authority '" + code.get() + "' (system "
          + AUTHORITY_SYSTEM + ")");
    };
  }

  private static void lacking(Facts facts, Basis basis) {
    if (!facts.lacksCapacity()) {
      throw FhirException.unprocessable((basis == Basis.COURT_DEPUTY ? "A deputy" : "A Health and Welfare LPA")
          + " acts only while the person lacks capacity for the decision, and the person is not recorded as lacking"
          + " capacity to decide about sharing their information");
    }
  }

  private static void parental(Facts facts) {
    Integer age = facts.age();
    if (age == null) {
      throw FhirException.unprocessable("The person's date of birth is not known, so parental responsibility cannot"
          + " be checked");
    }
    if (age >= 18) {
      throw FhirException.unprocessable("Parental responsibility ends at 18; the person is an adult");
    }
    if (age < 16 && facts.competent()) {
      throw FhirException.unprocessable("The child is recorded as competent (Gillick) to decide about sharing their"
          + " information: their own decision stands, not a parent's");
    }
    if (age >= 16 && !facts.lacksCapacity()) {
      throw FhirException.unprocessable("At 16 and 17 a young person is presumed to have capacity (Mental Capacity"
          + " Act 2005): a parent decides for them only while they are recorded as lacking capacity");
    }
  }

  private static String registration(RelatedPerson representative, String what) {
    return representative.getIdentifier().stream()
        .filter(Identifier::hasValue)
        .map(Identifier::getValue)
        .findFirst()
        .orElseThrow(() -> FhirException.unprocessable("RelatedPerson.identifier must give " + what));
  }

  private static LocalDate day(java.util.Date date) {
    return date.toInstant().atZone(java.time.ZoneOffset.UTC).toLocalDate();
  }
}
