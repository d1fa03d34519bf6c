package org.tellonce.identity.matching;

/** The FHIR match-grade extension's codes (http://hl7.org/fhir/StructureDefinition/match-grade). */
public enum MatchGrade {
  CERTAIN("certain"),
  PROBABLE("probable"),
  POSSIBLE("possible"),
  CERTAINLY_NOT("certainly-not");

  public static final String EXTENSION = "http://hl7.org/fhir/StructureDefinition/match-grade";

  private final String code;

  MatchGrade(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }
}
