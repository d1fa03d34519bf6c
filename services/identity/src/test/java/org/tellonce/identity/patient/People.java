package org.tellonce.identity.patient;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import java.time.LocalDate;
import java.util.concurrent.ThreadLocalRandom;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Patient;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.testing.NhsNumbers;
import org.tellonce.testing.Tokens;

/** Synthetic people for the identity tests: each unlike any other (random names, birth date and postcode). */
public final class People {

  public static final String NHS = "https://fhir.nhs.uk/Id/nhs-number";
  public static final String COUNCIL = "https://fhir.riverside.gov.uk/Id/person";
  public static final String VCSE = "https://fhir.tellonce.org/Id/vcse/VCS01";

  private People() {}

  public static String name() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    StringBuilder name = new StringBuilder().append((char) ('A' + random.nextInt(26)));
    for (int i = 0; i < 9; i++) {
      name.append((char) ('a' + random.nextInt(26)));
    }
    return name.toString();
  }

  public static LocalDate birthDate() {
    return LocalDate.of(1930, 1, 1).plusDays(ThreadLocalRandom.current().nextInt(365 * 80));
  }

  public static String postcode() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return "Z" + (char) ('A' + random.nextInt(26)) + (1 + random.nextInt(99)) + " " + random.nextInt(10)
        + (char) ('A' + random.nextInt(26)) + (char) ('A' + random.nextInt(26));
  }

  public static String councilId() {
    return "RC-" + ThreadLocalRandom.current().nextInt(10_000_000, 99_999_999);
  }

  /** A person with an NHS number, names, birth date, gender, a home address and a phone number. */
  public static Patient person() {
    return person(NhsNumbers.random(), name(), name(), birthDate(), "female", postcode());
  }

  public static Patient person(String nhs, String family, String given, LocalDate born, String gender, String postcode) {
    Patient patient = new Patient();
    if (nhs != null) {
      patient.addIdentifier().setSystem(NHS).setValue(nhs);
    }
    patient.addName().setFamily(family).addGiven(given);
    if (born != null) {
      patient.setBirthDateElement(new DateType(born.toString()));
    }
    if (gender != null) {
      patient.setGender(AdministrativeGender.fromCode(gender));
    }
    if (postcode != null) {
      patient.addAddress().setUse(Address.AddressUse.HOME).addLine("1 Test Street").setCity("Riverside")
          .setPostalCode(postcode);
    }
    patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("01632 960000");
    return patient;
  }

  public static Patient restricted(Patient patient) {
    patient.getMeta().addSecurity(new Coding(Demographics.CONFIDENTIALITY, "R", "restricted"));
    return patient;
  }

  public static Response post(String user, Patient patient) {
    return given().auth().oauth2(Tokens.user(user))
        .contentType("application/fhir+json")
        .body(Fhir.encode(patient))
        .post("/fhir/Patient");
  }

  /** Registers a new person as nurse.mht and answers their id. */
  public static String register(Patient patient) {
    return register("nurse.mht", patient);
  }

  public static String register(String user, Patient patient) {
    return post(user, patient).then().statusCode(201).extract().path("id");
  }

  public static String nhs(Patient patient) {
    return patient.getIdentifier().stream().filter(i -> NHS.equals(i.getSystem())).findFirst().orElseThrow().getValue();
  }
}
