package org.tellonce.carerecord.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.tellonce.carerecord.access.AccessGate.Visibility;
import org.tellonce.carerecord.audit.AuditService.Access;
import org.tellonce.carerecord.audit.AuditService.Outcome;
import org.tellonce.platform.decision.Purposes;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.References;
import org.tellonce.platform.security.Actor;

/**
 * The AuditEvent JSON written straight out is, character for character, what HAPI writes for the same AuditEvent built
 * on its model (so entries hash as before, and the trail parses back), for every kind of access.
 */
class AuditEventJsonTest {

  /** The AuditEvent of an access, built on HAPI's model: the reference the writer must match. */
  static AuditEvent model(String id, Access access, OffsetDateTime now, List<String> grounds, List<String> refusals) {
    AuditEvent event = new AuditEvent();
    event.setId(id);
    event.setType(new Coding(AuditEventJson.EVENT_TYPES, "rest", "RESTful Operation"));
    event.addSubtype(new Coding(AuditEventJson.INTERACTIONS, access.interaction(), access.interaction()));
    event.setAction(access.interaction().equals("create") ? AuditEventAction.C : AuditEventAction.R);
    event.setRecorded(Date.from(now.toInstant()));
    event.setOutcome(access.outcome().fhir);
    event.setOutcomeDesc(access.outcome().word
        + (access.revision() == null ? "" : " (consent revision " + access.revision() + ")")
        + (grounds.isEmpty() ? "" : " on " + String.join(", ", grounds))
        + (refusals.isEmpty() ? "" : " on " + String.join(", ", refusals)));
    if (access.purpose() != null) {
      event.addPurposeOfEvent(new CodeableConcept(new Coding(Purposes.SYSTEM, access.purpose(), null)));
    }
    Actor actor = access.actor();
    event.addAgent().setRequestor(true)
        .setWho(new Reference().setIdentifier(new Identifier().setSystem(AuditService.USER_SYSTEM)
            .setValue(actor.username())).setDisplay(actor.username()))
        .addRole(new CodeableConcept().setText(String.join(",", actor.roles())));
    if (actor.organization() != null) {
      event.addAgent().setRequestor(false).setWho(References.organization(actor.organization()));
    }
    event.getSource().setObserver(new Reference().setDisplay(AuditEventJson.OBSERVER))
        .addType(new Coding(AuditEventJson.SOURCE_TYPES, "4", "Application Server"));
    if (access.personId() != null) {
      event.addEntity().setWhat(new Reference("Patient/" + access.personId()))
          .setRole(new Coding(AuditEventJson.OBJECT_ROLES, "1", "Patient"));
    }
    for (String reference : access.entities()) {
      event.addEntity().setWhat(new Reference(reference))
          .setRole(new Coding(AuditEventJson.OBJECT_ROLES, "4", "Domain Resource"));
    }
    return event;
  }

  static void same(Access access, List<String> grounds, List<String> refusals) {
    String id = UUID.randomUUID().toString();
    OffsetDateTime now = OffsetDateTime.of(2026, 12, 6, 17, 45, 12, 345_000_000, ZoneOffset.UTC);
    String written = AuditEventJson.write(id, access, now, grounds, refusals);
    assertThat(written).isEqualTo(Fhir.encode(model(id, access, now, grounds, refusals)));
    // and HAPI reads it back to the same resource
    assertThat(Fhir.encode(Fhir.parse(AuditEvent.class, written))).isEqualTo(written);
  }

  @Test
  void everyKindOfAccessIsWrittenAsHapiWritesIt() {
    Actor nurse = new Actor("s1", "nurse.mht", "MHT01", Set.of("clinician"), "PractitionerRole/pr1");
    Actor twoRoles = new Actor("s2", "caldicott.mht", "MHT01", Set.of("privacy-officer", "clinician"), null);
    Actor noOrganisation = new Actor("s3", "admin", null, Set.of(), null);
    Actor quoted = new Actor("s4", "o'brien_x@la001", "LA001", Set.of("social \"worker\" <&>"), null);
    Visibility decided = new Visibility(42, Map.of());
    List<Access> accesses = new ArrayList<>();
    for (Actor actor : List.of(nurse, twoRoles, noOrganisation, quoted)) {
      accesses.add(new Access(actor, "p-1", "read", "TREAT", Outcome.SUCCESS, List.of("Condition/c1"), decided));
      accesses.add(new Access(actor, "p-1", "create", null, Outcome.SUCCESS, List.of("Observation/o1",
          "Provenance/v1"), null));
      accesses.add(new Access(actor, null, "read", "TREAT", Outcome.DENIED, List.of("AllergyIntolerance/missing"),
          null));
      accesses.add(new Access(actor, "p-2", "search-type", "ETREAT", Outcome.FAILURE, List.of(), null));
      accesses.add(new Access(actor, null, "read", null, Outcome.DENIED, List.of(), Visibility.NOTHING));
    }
    for (Access access : accesses) {
      same(access, List.of(), List.of());
      same(access, List.of("break-glass/g1", "policy/direct-care"), List.of());
      same(access, List.of(), List.of("policy/no-legitimate-relationship"));
    }
  }
}
