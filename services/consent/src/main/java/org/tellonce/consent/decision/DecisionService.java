package org.tellonce.consent.decision;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Consent;
import org.tellonce.consent.ConsentTopics;
import org.tellonce.consent.agreement.AgreementService;
import org.tellonce.consent.breakglass.BreakGlassService;
import org.tellonce.consent.careteam.CareTeamProjection;
import org.tellonce.platform.decision.Purposes;
import org.tellonce.consent.person.PersonProjection;
import org.tellonce.platform.decision.Obligations;
import org.tellonce.consent.authority.Authority;
import org.tellonce.consent.authority.CapacityService;
import org.tellonce.consent.objection.ObjectionService;
import org.tellonce.consent.relationship.RelationshipProjection;
import org.tellonce.consent.record.ConsentEntity;
import org.tellonce.consent.record.ConsentReader;
import org.tellonce.consent.record.ConsentRepository;
import org.tellonce.consent.revision.PersonRevisions;
import org.tellonce.platform.fhir.Fhir;

/**
 * Loads what a decision depends on, straight from the database on every call (no cache, so an acknowledged
 * withdrawal is seen by the next decision on any replica), and lets {@link PolicyEvaluator} decide.
 */
@ApplicationScoped
public class DecisionService {

  @Inject ConsentRepository consents;
  @Inject CareTeamProjection careTeams;
  @Inject PersonRevisions revisions;
  @Inject PersonProjection persons;
  @Inject BreakGlassService breakGlass;
  @Inject AgreementService agreements;
  @Inject ObjectionService objections;
  @Inject CapacityService capacity;
  @Inject RelationshipProjection derived;
  @Inject org.tellonce.platform.outbox.Outbox outbox;

  public record Outcome(long revision, List<PolicyEvaluator.Decision> decisions) {}

  /** Everything decisions about one person rest on, loaded together (no cache). */
  public record Loaded(List<String> records, long revision, PolicyEvaluator.PersonState state,
      PersonProjection.Restriction restriction) {}

  /** Loads the person's state; {@code request} names the purpose and actor (for a break-glass grant). */
  public Uni<Loaded> load(ConsentPolicy.Request request) {
    return persons.records(request.subject()).chain(records -> revisions.current(records.get(0))
        .chain(revision -> relationships(records)
            .chain(organizations -> consents.activeForPersons(records)
                .chain(active -> objections.standing(active)
                    .chain(standing -> capacity.facts(records)
                        .chain(facts -> persons.restriction(records)
                            .chain(restriction -> emergencyAccess(request, records)
                                .chain(grant -> agreements.active().map(inForce -> new Loaded(records, revision,
                                    state(organizations, active, standing, facts, grant, inForce),
                                    restriction))))))))));
  }

  /**
   * The person's state: their consents as policies (a National Data Opt-out apart; a representative's or
   * best-interests consent only while its authority still holds).
   */
  static PolicyEvaluator.PersonState state(java.util.Map<String, String> organizations, List<ConsentEntity> active,
      java.util.Map<String, ConsentPolicy.Objection> standing, Authority.Facts facts, String grant,
      List<org.tellonce.consent.agreement.Agreement> inForce) {
    List<ConsentPolicy> policies = new ArrayList<>();
    LocalDate optedOut = null;
    for (ConsentEntity entity : active) {
      Consent consent = Fhir.parse(Consent.class, entity.resource);
      if (entity.nationalOptOut) {
        LocalDate day = ConsentReader.recorded(consent);
        optedOut = optedOut == null || (day != null && day.isBefore(optedOut)) ? day : optedOut;
      } else if (Authority.binds(consent, entity.personId, facts)) {
        Authority.Basis basis = Authority.basisOf(consent, entity.personId);
        policies.add(ConsentReader.policy(entity.id, consent, standing.get(entity.id),
            basis == null ? null : basis.who()));
      }
    }
    return new PolicyEvaluator.PersonState(organizations, policies, grant, inForce, optedOut);
  }

  /**
   * A decision about a person counts every record of that person (merged records included); for a restricted person
   * asked about by anyone but the recording organisation, every permit carries the obligation to withhold contact
   * details.
   */
  @WithSession
  public Uni<Outcome> decide(ConsentPolicy.Request request, List<ConsentPolicy.Item> items) {
    return load(request).map(loaded -> new Outcome(loaded.revision(), decide(request, items, loaded)))
        .call(outcome -> recordBreakGlassUse(outcome))
        .call(outcome -> auditDisclosures(request, items, outcome));
  }

  /**
   * Every decision that discloses sensitive data, or discloses under break-glass or an overridden objection, is told
   * on audit.v1 (through the outbox, committed before the answer leaves): who, for what purpose, which items, and the
   * rule each was disclosed under. Item ids and labels only — no clinical content.
   */
  private Uni<Void> auditDisclosures(ConsentPolicy.Request request, List<ConsentPolicy.Item> items, Outcome outcome) {
    List<java.util.Map<String, Object>> disclosed = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      PolicyEvaluator.Decision decision = outcome.decisions().get(i);
      ConsentPolicy.Item item = items.get(i);
      String basis = decision.reasons().get(0).source();
      boolean notable = SecurityLabels.current().anyRestricted(item.labels()) || basis.startsWith("break-glass/")
          || basis.startsWith("objection-override/");
      if (decision.permit() && notable) {
        java.util.Map<String, Object> entry = new java.util.LinkedHashMap<>();
        entry.put("id", item.id());
        entry.put("resourceType", item.resourceType());
        entry.put("labels", new java.util.TreeSet<>(item.labels()));
        entry.put("basis", basis);
        disclosed.add(entry);
      }
    }
    if (disclosed.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    java.util.Map<String, Object> data = new java.util.LinkedHashMap<>();
    data.put("personId", request.subject());
    data.put("revision", outcome.revision());
    data.put("user", request.user());
    data.put("organization", request.organization());
    data.put("purpose", request.purpose());
    data.put("decided", request.time().toString());
    data.put("items", disclosed);
    return io.quarkus.hibernate.reactive.panache.Panache.withTransaction(() -> outbox.publish(ConsentTopics.AUDIT,
        request.subject(), ConsentTopics.DISCLOSURE, request.subject(), data)).replaceWithVoid();
  }

  /** The decisions for these items on state already loaded. */
  public static List<PolicyEvaluator.Decision> decide(ConsentPolicy.Request request, List<ConsentPolicy.Item> items,
      Loaded loaded) {
    List<PolicyEvaluator.Decision> decisions = PolicyEvaluator.decide(request, items, loaded.state());
    if (loaded.restriction().restricted()
        && !java.util.Objects.equals(loaded.restriction().recordedBy(), request.organization())) {
      decisions = decisions.stream().map(DecisionService::withholdContactDetails).toList();
    }
    return decisions;
  }

  /**
   * The organisations with a legitimate relationship with the person and what it is: their care teams first, then
   * active referrals, open encounters and open social-care cases.
   */
  private Uni<java.util.Map<String, String>> relationships(List<String> records) {
    return careTeams.organizations(records).chain(team -> derived.organizations(records).map(others -> {
      java.util.Map<String, String> all = new java.util.LinkedHashMap<>(PolicyEvaluator.PersonState.careTeam(team));
      others.forEach(all::putIfAbsent);
      return all;
    }));
  }

  private Uni<String> emergencyAccess(ConsentPolicy.Request request, List<String> records) {
    return Purposes.ETREAT.equals(request.purpose())
        ? breakGlass.active(records, request.organization(), request.user())
        : Uni.createFrom().nullItem();
  }

  /** Every decision that disclosed under a break-glass grant is a use of it, recorded for the privacy officer. */
  private Uni<Void> recordBreakGlassUse(Outcome outcome) {
    List<String> grants = outcome.decisions().stream()
        .filter(PolicyEvaluator.Decision::permit)
        .flatMap(d -> d.reasons().stream())
        .map(org.tellonce.platform.decision.DecisionResponse.Reason::source)
        .filter(source -> source.startsWith("break-glass/"))
        .distinct()
        .toList();
    if (grants.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    long items = outcome.decisions().stream().filter(PolicyEvaluator.Decision::permit).count();
    return breakGlass.recordUse(grants.get(0).substring("break-glass/".length()), (int) items);
  }

  static PolicyEvaluator.Decision withholdContactDetails(PolicyEvaluator.Decision decision) {
    if (!decision.permit()) {
      return decision;
    }
    List<String> obligations = new java.util.ArrayList<>(decision.obligations());
    obligations.add(Obligations.REDACT_CONTACT_DETAILS);
    List<org.tellonce.platform.decision.DecisionResponse.Reason> reasons = new java.util.ArrayList<>(decision.reasons());
    reasons.add(new org.tellonce.platform.decision.DecisionResponse.Reason("restricted",
        "The person is restricted (PDS R): their address and contact details stay with the organisation that recorded"
            + " them"));
    return new PolicyEvaluator.Decision(decision.id(), true, reasons, obligations);
  }
}
