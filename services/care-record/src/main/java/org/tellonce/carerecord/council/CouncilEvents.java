package org.tellonce.carerecord.council;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.References;

/**
 * The events council case-management systems send on {@code council.inbound.v1} (contracts/council-inbound.md), and
 * the FHIR each becomes in the shared record. Every mapped resource carries an identifier in the council's own
 * namespace, so a later event about the same assessment, package or concern updates it, and a replay changes nothing.
 */
public final class CouncilEvents {

  public static final String PREFIX = "org.tellonce.council.";
  public static final String FHIR = PREFIX + "fhir.v1";
  public static final String ASSESSMENT_COMPLETED = PREFIX + "assessment.completed.v1";
  public static final String CARERS_ASSESSMENT_COMPLETED = PREFIX + "carers-assessment.completed.v1";
  public static final String CARE_PACKAGE_STARTED = PREFIX + "care-package.started.v1";
  public static final String CARE_PACKAGE_ENDED = PREFIX + "care-package.ended.v1";
  public static final String SAFEGUARDING_CONCERN_RAISED = PREFIX + "safeguarding.concern-raised.v1";

  public static final Set<String> TYPES = Set.of(FHIR, ASSESSMENT_COMPLETED, CARERS_ASSESSMENT_COMPLETED,
      CARE_PACKAGE_STARTED, CARE_PACKAGE_ENDED, SAFEGUARDING_CONCERN_RAISED);

  /** What councils do, as Encounter and EpisodeOfCare types. */
  public static final String ACTIVITY_SYSTEM = "https://tellonce.org/fhir/CodeSystem/council-activity";
  public static final String SENSITIVITY_SYSTEM = "https://tellonce.org/fhir/CodeSystem/sensitivity";
  static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
  static final Set<String> ASSESSMENT_KINDS = Set.of("care-act-assessment", "carers-assessment", "review",
      "occupational-therapy-assessment", "financial-assessment");

  private CouncilEvents() {}

  /** The identifier namespace of one council's records of one kind. */
  static String system(String organization, String kind) {
    return "https://tellonce.org/Id/council/" + organization + "/" + kind;
  }

  /** The FHIR resource an event states, about the person, recorded by the council; an IllegalArgumentException says why not. */
  public static Resource map(String type, String organization, String personId, JsonNode data) {
    return switch (type) {
      case FHIR -> fhir(data, personId);
      case ASSESSMENT_COMPLETED -> assessment(organization, personId, data, text(data, "kind"));
      case CARERS_ASSESSMENT_COMPLETED -> assessment(organization, personId, data, "carers-assessment");
      case CARE_PACKAGE_STARTED -> carePackage(organization, personId, data, true);
      case CARE_PACKAGE_ENDED -> carePackage(organization, personId, data, false);
      case SAFEGUARDING_CONCERN_RAISED -> concern(organization, personId, data);
      default -> throw new IllegalArgumentException("Unknown council event type " + type + "; see"
          + " contracts/council-inbound.md");
    };
  }

  private static Resource fhir(JsonNode data, String personId) {
    String shape = org.tellonce.platform.fhir.FhirJsonShape.problem(data);
    if (shape != null) {
      throw new IllegalArgumentException("The data is not FHIR R4 JSON: " + shape);
    }
    Resource resource;
    try {
      resource = (Resource) Fhir.json().parseResource(data.toString());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("The data is not a FHIR R4 resource: " + e.getClass().getSimpleName());
    }
    resource.setId((String) null);
    return resource;
  }

  private static Encounter assessment(String organization, String personId, JsonNode data, String kind) {
    if (kind == null || !ASSESSMENT_KINDS.contains(kind)) {
      throw new IllegalArgumentException("kind must be one of " + ASSESSMENT_KINDS);
    }
    Encounter encounter = new Encounter();
    encounter.addIdentifier(new Identifier().setSystem(system(organization, "assessment"))
        .setValue(required(data, "assessmentId")));
    encounter.setStatus(Encounter.EncounterStatus.FINISHED);
    encounter.setClass_(new Coding(ACT_CODE, "HH", "home health"));
    encounter.addType(new CodeableConcept(new Coding(ACTIVITY_SYSTEM, kind, null)));
    encounter.setSubject(new Reference("Patient/" + personId));
    encounter.setServiceProvider(References.organization(organization));
    encounter.setPeriod(new Period().setEndElement(date(data, "completed")));
    return encounter;
  }

  private static EpisodeOfCare carePackage(String organization, String personId, JsonNode data, boolean started) {
    EpisodeOfCare episode = new EpisodeOfCare();
    episode.addIdentifier(new Identifier().setSystem(system(organization, "care-package"))
        .setValue(required(data, "packageId")));
    episode.setStatus(started ? EpisodeOfCare.EpisodeOfCareStatus.ACTIVE : EpisodeOfCare.EpisodeOfCareStatus.FINISHED);
    episode.addType(new CodeableConcept(new Coding(ACTIVITY_SYSTEM, "care-package", null))
        .setText(optional(data, "service")));
    episode.setPatient(new Reference("Patient/" + personId));
    episode.setManagingOrganization(References.organization(organization));
    Period period = new Period();
    if (data.hasNonNull("started")) {
      period.setStartElement(date(data, "started"));
    }
    if (!started) {
      period.setEndElement(date(data, "ended"));
    } else if (!period.hasStart()) {
      throw new IllegalArgumentException("started is required");
    }
    episode.setPeriod(period);
    return episode;
  }

  private static Flag concern(String organization, String personId, JsonNode data) {
    Flag flag = new Flag();
    flag.addIdentifier(new Identifier().setSystem(system(organization, "safeguarding-concern"))
        .setValue(required(data, "concernId")));
    flag.setStatus(Flag.FlagStatus.ACTIVE);
    flag.addCategory(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/flag-category", "safety",
        "Safety")));
    flag.setCode(new CodeableConcept(new Coding(ACTIVITY_SYSTEM, "safeguarding-concern", null))
        .setText("Safeguarding concern"));
    flag.setSubject(new Reference("Patient/" + personId));
    flag.setAuthor(References.organization(organization));
    flag.setPeriod(new Period().setStartElement(date(data, "raised")));
    flag.getMeta().addSecurity(new Coding(SENSITIVITY_SYSTEM, "safeguarding", "safeguarding information"));
    return flag;
  }

  private static String required(JsonNode data, String field) {
    String value = text(data, field);
    if (value == null || value.isBlank() || value.length() > 200) {
      throw new IllegalArgumentException(field + " is required (at most 200 characters)");
    }
    return value;
  }

  private static String optional(JsonNode data, String field) {
    String value = text(data, field);
    return value == null || value.isBlank() ? null : value.substring(0, Math.min(value.length(), 500));
  }

  private static String text(JsonNode data, String field) {
    JsonNode node = data.get(field);
    return node == null || !node.isTextual() ? null : node.asText();
  }

  private static DateTimeType date(JsonNode data, String field) {
    String value = required(data, field);
    try {
      DateTimeType date = new DateTimeType(value);
      if (date.getValue() == null) {
        throw new IllegalArgumentException();
      }
      return date;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(field + " must be a date or dateTime (2026-03-01 or 2026-03-01T10:00:00Z)");
    }
  }
}
