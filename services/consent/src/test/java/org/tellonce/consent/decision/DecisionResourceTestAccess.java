package org.tellonce.consent.decision;

import io.restassured.response.ValidatableResponse;
import java.util.UUID;

/** The decision test helpers, for tests in other packages. */
public final class DecisionResourceTestAccess {

  private DecisionResourceTestAccess() {}

  public static void careTeam(String personId, String... organizations) {
    DecisionResourceTest.careTeam(personId, UUID.randomUUID().toString(), 1, organizations);
  }

  public static ValidatableResponse decide(String personId, String organization) {
    return DecisionResourceTest.decide("care-record", personId, organization, "TREAT");
  }

  public static ValidatableResponse decide(String personId, String organization, String purpose) {
    return DecisionResourceTest.decide("care-record", personId, organization, purpose);
  }

  /** A Consent (JSON) by which the person objects to sharing anything with the organisation. */
  public static String objection(String personId, String organization) {
    return DecisionResourceTest.objection(personId, organization);
  }
}
