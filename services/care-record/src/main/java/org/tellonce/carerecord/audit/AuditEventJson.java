package org.tellonce.carerecord.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.InstantType;
import org.tellonce.carerecord.audit.AuditService.Access;
import org.tellonce.platform.decision.Purposes;
import org.tellonce.platform.fhir.References;
import org.tellonce.platform.security.Actor;

/**
 * The AuditEvent of an access as FHIR JSON, written straight out: every read writes one, and HAPI's encoder, which
 * walks the model by reflection, took a tenth of care-record's CPU on a read by id. The output is the JSON HAPI writes
 * for the same AuditEvent, character for character (its elements in the order the specification gives, the instant as
 * HAPI formats it), so entries hash as before and HAPI parses them back ({@code AuditEventJsonTest} compares the two
 * for every kind of access). IHE BALP shape: the user and their organisation as agents, the person and the resources
 * as entities, the purpose, the outcome and why.
 */
final class AuditEventJson {

  private static final JsonFactory JSON = new JsonFactory();

  static final String EVENT_TYPES = "http://terminology.hl7.org/CodeSystem/audit-event-type";
  static final String INTERACTIONS = "http://hl7.org/fhir/restful-interaction";
  static final String SOURCE_TYPES = "http://terminology.hl7.org/CodeSystem/security-source-type";
  static final String OBJECT_ROLES = "http://terminology.hl7.org/CodeSystem/object-role";
  static final String OBSERVER = "tellonce care-record";

  private AuditEventJson() {}

  /** The access's AuditEvent, with its id, recorded at {@code now}; {@code grounds} and {@code refusals} as given. */
  static String write(String id, Access access, OffsetDateTime now, List<String> grounds, List<String> refusals) {
    StringWriter out = new StringWriter(1024);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("resourceType", "AuditEvent");
      json.writeStringField("id", id);
      json.writeFieldName("type");
      coding(json, EVENT_TYPES, "rest", "RESTful Operation");
      json.writeArrayFieldStart("subtype");
      coding(json, INTERACTIONS, access.interaction(), access.interaction());
      json.writeEndArray();
      json.writeStringField("action", access.interaction().equals("create") ? "C" : "R");
      json.writeStringField("recorded", new InstantType(Date.from(now.toInstant())).getValueAsString());
      json.writeStringField("outcome", access.outcome().fhir.toCode());
      json.writeStringField("outcomeDesc", access.outcome().word
          + (access.revision() == null ? "" : " (consent revision " + access.revision() + ")")
          + (grounds.isEmpty() ? "" : " on " + String.join(", ", grounds))
          + (refusals.isEmpty() ? "" : " on " + String.join(", ", refusals)));
      if (access.purpose() != null) {
        json.writeArrayFieldStart("purposeOfEvent");
        json.writeStartObject();
        json.writeArrayFieldStart("coding");
        coding(json, Purposes.SYSTEM, access.purpose(), null);
        json.writeEndArray();
        json.writeEndObject();
        json.writeEndArray();
      }
      Actor actor = access.actor();
      json.writeArrayFieldStart("agent");
      json.writeStartObject();
      String roles = String.join(",", actor.roles());
      if (!roles.isEmpty()) {
        json.writeArrayFieldStart("role");
        json.writeStartObject();
        json.writeStringField("text", roles);
        json.writeEndObject();
        json.writeEndArray();
      }
      json.writeObjectFieldStart("who");
      json.writeObjectFieldStart("identifier");
      stringField(json, "system", AuditService.USER_SYSTEM);
      stringField(json, "value", actor.username());
      json.writeEndObject();
      stringField(json, "display", actor.username());
      json.writeEndObject();
      json.writeBooleanField("requestor", true);
      json.writeEndObject();
      if (actor.organization() != null) {
        json.writeStartObject();
        json.writeObjectFieldStart("who");
        json.writeStringField("type", "Organization");
        json.writeObjectFieldStart("identifier");
        json.writeStringField("system", References.ODS_SYSTEM);
        json.writeStringField("value", actor.organization());
        json.writeEndObject();
        json.writeEndObject();
        json.writeBooleanField("requestor", false);
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeObjectFieldStart("source");
      json.writeObjectFieldStart("observer");
      json.writeStringField("display", OBSERVER);
      json.writeEndObject();
      json.writeArrayFieldStart("type");
      coding(json, SOURCE_TYPES, "4", "Application Server");
      json.writeEndArray();
      json.writeEndObject();
      if (access.personId() != null || !access.entities().isEmpty()) {
        json.writeArrayFieldStart("entity");
        if (access.personId() != null) {
          entity(json, "Patient/" + access.personId(), "1", "Patient");
        }
        for (String reference : access.entities()) {
          entity(json, reference, "4", "Domain Resource");
        }
        json.writeEndArray();
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("An AuditEvent could not be written", e);
    }
    return out.toString();
  }

  private static void entity(JsonGenerator json, String reference, String role, String display) throws IOException {
    json.writeStartObject();
    json.writeObjectFieldStart("what");
    json.writeStringField("reference", reference);
    json.writeEndObject();
    json.writeFieldName("role");
    coding(json, OBJECT_ROLES, role, display);
    json.writeEndObject();
  }

  private static void coding(JsonGenerator json, String system, String code, String display) throws IOException {
    json.writeStartObject();
    json.writeStringField("system", system);
    stringField(json, "code", code);
    stringField(json, "display", display);
    json.writeEndObject();
  }

  /** A string element, left out when absent or empty (as HAPI leaves out an empty element). */
  private static void stringField(JsonGenerator json, String name, String value) throws IOException {
    if (value != null && !value.isEmpty()) {
      json.writeStringField(name, value);
    }
  }
}
