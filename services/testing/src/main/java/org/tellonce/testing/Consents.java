package org.tellonce.testing;

/** FHIR Consent bodies the tests record. */
public final class Consents {

  public static final String ODS = "https://fhir.nhs.uk/Id/ods-organization-code";

  private Consents() {}

  /**
   * The person's own objection (performer: the person) to sharing anything with one organisation; {@code status}
   * active records it, inactive withdraws it.
   */
  public static String objection(String personId, String organization, String status) {
    return """
        {"resourceType":"Consent","status":"%2$s",
         "scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},
         "category":[{"coding":[{"system":"http://loinc.org","code":"59284-0"}]}],
         "patient":{"reference":"Patient/%1$s"},"performer":[{"reference":"Patient/%1$s"}],
         "provision":{"type":"deny","actor":[{"role":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ParticipationType","code":"IRCP"}]},
           "reference":{"identifier":{"system":"%3$s","value":"%4$s"}}}]}}
        """.formatted(personId, status, ODS, organization);
  }
}
