package org.tellonce.identity.patient;

import org.hl7.fhir.r4.model.Patient;
import org.tellonce.platform.decision.Obligations;
import org.tellonce.platform.security.Actor;

/**
 * The PDS restricted flag: a restricted person's address, contact details, GP and nominated pharmacy are disclosed
 * only to the organisation that recorded them. Everyone else (other organisations, and services acting for them)
 * gets the record without them, marked REDACTED.
 */
public final class Disclosure {

  static final String NOMINATED_PHARMACY =
      "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NominatedPharmacy";

  private Disclosure() {}

  public static boolean fullView(boolean restricted, String recordedBy, Actor actor) {
    return !restricted || (recordedBy != null && recordedBy.equals(actor.organization()));
  }

  /** The Patient as this actor may see it. */
  public static Patient forActor(Patient patient, boolean restricted, String recordedBy, Actor actor) {
    if (fullView(restricted, recordedBy, actor)) {
      return patient;
    }
    patient.setAddress(null);
    patient.setTelecom(null);
    patient.setContact(null);
    patient.setGeneralPractitioner(null);
    patient.getExtension().removeIf(e -> NOMINATED_PHARMACY.equals(e.getUrl()));
    patient.getMeta().addSecurity(Obligations.redactedLabel());
    return patient;
  }
}
