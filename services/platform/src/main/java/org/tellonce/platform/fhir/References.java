package org.tellonce.platform.fhir;

import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/** Reading the references tellonce resources use: {@code Patient/{id}} and organisations by ODS or council code. */
public final class References {

  public static final String ODS_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code";
  private static final String ORGANIZATION_CODE = "[A-Za-z0-9]{3,12}";
  private static final String ID = "[A-Za-z0-9\\-.]{1,64}";

  private References() {}

  /** The id of a {@code Patient/{id}} reference, or a 422 naming the element. */
  public static String patientId(Reference reference, String element) {
    if (reference == null || !reference.hasReference()) {
      throw FhirException.unprocessable(element + " must reference the person as Patient/{id}");
    }
    String value = reference.getReference();
    if (!value.startsWith("Patient/") || !value.substring("Patient/".length()).matches(ID)) {
      throw FhirException.unprocessable(element + " must reference the person as Patient/{id}");
    }
    return value.substring("Patient/".length());
  }

  /** The person id of a search parameter given as {@code Patient/{id}} or {@code {id}}; a 400 names a bad one. */
  public static String personIdParameter(String value, String parameter) {
    String id = value != null && value.startsWith("Patient/") ? value.substring("Patient/".length()) : value;
    if (id == null || !id.matches(ID)) {
      throw FhirException.badRequest(parameter + " must be the person as Patient/{id} or {id}");
    }
    return id;
  }

  /** The organisation code of a reference by identifier with the ODS system, or null when it is not one. */
  public static String organizationCode(Reference reference) {
    if (reference == null || !reference.hasIdentifier()) {
      return null;
    }
    Identifier identifier = reference.getIdentifier();
    if (!ODS_SYSTEM.equals(identifier.getSystem())) {
      return null;
    }
    String code = identifier.getValue();
    if (code == null || !code.matches(ORGANIZATION_CODE)) {
      throw FhirException.unprocessable("An organisation identifier value must be an ODS or council code of 3 to 12"
          + " letters and digits");
    }
    return code.toUpperCase();
  }

  public static Reference organization(String code) {
    return new Reference().setType("Organization").setIdentifier(new Identifier().setSystem(ODS_SYSTEM).setValue(code));
  }
}
