package org.tellonce.identity.patient;

import org.tellonce.platform.person.NhsNumber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.tellonce.identity.config.IdentityConfig;
import org.tellonce.platform.fhir.FhirException;

/**
 * What the person index accepts: identifiers only from configured systems, each value in its system's format (an NHS
 * number passes its modulus-11 check), one identifier per system, a possible birth date. Messages never echo a value.
 */
@ApplicationScoped
public class PatientRules {

  /** Nobody alive or recently dead in a care record was born before this. */
  static final LocalDate EARLIEST_BIRTH = LocalDate.of(1880, 1, 1);

  private final Map<String, IdentityConfig.IdentifierSystem> systems = new LinkedHashMap<>();
  private final Map<String, Pattern> patterns = new LinkedHashMap<>();

  @Inject
  PatientRules(IdentityConfig config) {
    config.identifierSystems().values().forEach(system -> {
      systems.put(system.uri(), system);
      system.pattern().ifPresent(p -> patterns.put(system.uri(), Pattern.compile(p)));
    });
  }

  public Set<String> systems() {
    return new TreeSet<>(systems.keySet());
  }

  /** Checks a Patient to be registered or updated; answers its normalised demographics. */
  public Demographics check(Patient patient) {
    if (!patient.hasIdentifier() && !patient.hasName()) {
      throw FhirException.unprocessable("A Patient needs at least one identifier or a name to be registered");
    }
    if (patient.hasLink()) {
      throw FhirException.unprocessable("Patient.link is kept by the index itself (replaced-by after a merge); use"
          + " Patient/$merge to link two records of one person");
    }
    Set<String> seen = new HashSet<>();
    for (Identifier identifier : patient.getIdentifier()) {
      checkIdentifier(identifier, "Patient.identifier");
      if (!seen.add(identifier.getSystem())) {
        throw FhirException.unprocessable("A Patient can have only one identifier of each system; two were given for "
            + systems.get(identifier.getSystem()).description());
      }
    }
    if (patient.hasBirthDate()) {
      String text = patient.getBirthDateElement().getValueAsString();
      LocalDate born = LocalDate.parse(switch (text.length()) {
        case 4 -> text + "-01-01";
        case 7 -> text + "-01";
        default -> text;
      });
      if (born.isAfter(LocalDate.now())) {
        throw FhirException.unprocessable("Patient.birthDate is in the future");
      }
      if (born.isBefore(EARLIEST_BIRTH)) {
        throw FhirException.unprocessable("Patient.birthDate is before " + EARLIEST_BIRTH + "; check the year");
      }
    }
    if (patient.hasDeceasedDateTimeType() && patient.hasBirthDate()
        && patient.getDeceasedDateTimeType().getValue().before(patient.getBirthDate())) {
      throw FhirException.unprocessable("Patient.deceasedDateTime is before Patient.birthDate");
    }
    return Demographics.of(patient);
  }

  /** Checks one identifier (of a Patient, or a search or cross-reference parameter). */
  public void checkIdentifier(Identifier identifier, String element) {
    if (!identifier.hasSystem() || !identifier.hasValue()) {
      throw FhirException.unprocessable("Every " + element + " needs a system and a value");
    }
    checkIdentifier(identifier.getSystem(), identifier.getValue(), element);
  }

  public void checkIdentifier(String system, String value, String element) {
    IdentityConfig.IdentifierSystem known = systems.get(system);
    if (known == null) {
      throw FhirException.unprocessable(element + ": identifier system '" + system + "' is not accepted by this"
          + " index; accepted systems: " + systems());
    }
    Pattern pattern = patterns.get(system);
    if (pattern != null && !pattern.matcher(value).matches()) {
      throw FhirException.unprocessable(element + ": the value is not in the format of " + known.description()
          + " (" + pattern.pattern() + ")");
    }
    if (NhsNumber.SYSTEM.equals(system)) {
      String problem = NhsNumber.problem(value);
      if (problem != null) {
        throw FhirException.unprocessable(element + ": " + problem);
      }
    }
  }

  public boolean knows(String system) {
    return systems.containsKey(system);
  }
}
