package org.tellonce.identity.patient;

import org.tellonce.platform.person.NhsNumber;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.time.LocalDate;
import java.util.Locale;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;

/**
 * What search and matching compare, read from a FHIR Patient and normalised: names lower case (the official name, or
 * the first), postcode upper case without spaces, birth date only when it is a full date.
 */
public record Demographics(
    String nhsNumber, String family, String given, LocalDate birthDate, String gender, String postcode,
    boolean restricted) {

  /** PDS marks a restricted person ("R") with this confidentiality code in meta.security. */
  public static final String CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";
  public static final String RESTRICTED = "R";

  public static Demographics of(Patient patient) {
    String nhs = patient.getIdentifier().stream()
        .filter(i -> NhsNumber.SYSTEM.equals(i.getSystem()))
        .map(Identifier::getValue)
        .findFirst().orElse(null);
    HumanName name = patient.getName().stream()
        .filter(n -> n.getUse() == HumanName.NameUse.OFFICIAL)
        .findFirst()
        .orElse(patient.getNameFirstRep());
    LocalDate birthDate = patient.hasBirthDate()
        && patient.getBirthDateElement().getPrecision() == TemporalPrecisionEnum.DAY
        ? LocalDate.parse(patient.getBirthDateElement().getValueAsString())
        : null;
    Address address = patient.getAddress().stream()
        .filter(a -> a.getUse() == Address.AddressUse.HOME && a.hasPostalCode())
        .findFirst()
        .orElse(patient.getAddress().stream().filter(Address::hasPostalCode).findFirst().orElse(null));
    return new Demographics(
        nhs,
        name.hasFamily() ? normaliseName(name.getFamily()) : null,
        name.hasGiven() ? normaliseName(name.getGiven().get(0).getValue()) : null,
        birthDate,
        patient.hasGender() ? patient.getGender().toCode() : null,
        address == null ? null : normalisePostcode(address.getPostalCode()),
        isRestricted(patient));
  }

  public static boolean isRestricted(Patient patient) {
    for (Coding coding : patient.getMeta().getSecurity()) {
      if (CONFIDENTIALITY.equals(coding.getSystem()) && RESTRICTED.equals(coding.getCode())) {
        return true;
      }
    }
    return false;
  }

  /** Lower case, trimmed, inner whitespace collapsed; accents and punctuation kept (they are part of a name). */
  public static String normaliseName(String name) {
    if (name == null || name.isBlank()) {
      return null;
    }
    return name.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }

  /**
   * The outward code (postcode district, {@code RV1} of {@code RV1 2AB}) of a normalised postcode, or null when it is
   * not a full UK postcode: what routing needs to find the person's locality, and no more.
   */
  public static String postcodeDistrict(String normalisedPostcode) {
    if (normalisedPostcode == null || !normalisedPostcode.matches("[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}")) {
      return null;
    }
    return normalisedPostcode.substring(0, normalisedPostcode.length() - 3);
  }

  public static String normalisePostcode(String postcode) {
    if (postcode == null || postcode.isBlank()) {
      return null;
    }
    return postcode.replaceAll("\\s+", "").toUpperCase(Locale.ROOT);
  }

  /** The outward code (district) of a normalised postcode: all but the last three characters. */
  public static String outward(String postcode) {
    return postcode == null || postcode.length() <= 3 ? postcode : postcode.substring(0, postcode.length() - 3);
  }
}
