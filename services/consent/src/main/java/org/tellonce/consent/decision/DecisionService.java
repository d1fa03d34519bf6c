package org.tellonce.consent.decision;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Consent;
import org.tellonce.consent.ConsentTopics;
import org.tellonce.consent.agreement.Agreement;
import org.tellonce.consent.agreement.AgreementService;
import org.tellonce.consent.authority.Authority;
import org.tellonce.consent.breakglass.BreakGlassService;
import org.tellonce.consent.objection.ObjectionService;
import org.tellonce.consent.person.PersonProjection;
import org.tellonce.consent.record.ConsentReader;
import org.tellonce.consent.relationship.RelationshipProjection;
import org.tellonce.platform.decision.Obligations;
import org.tellonce.platform.decision.Purposes;
import org.tellonce.platform.fhir.Fhir;

/**
 * Loads what a decision depends on, straight from the database on every call — one statement, one snapshot, so an
 * acknowledged change is seen by the next decision on any replica — and lets {@link PolicyEvaluator} decide. Only
 * what cannot change is kept between calls: a Consent or agreement parsed once per id and version.
 */
@ApplicationScoped
public class DecisionService {

  private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(DecisionService.class);

  @Inject PersonStateQuery query;
  @Inject BreakGlassService breakGlass;
  @Inject DecisionMetrics metrics;
  @Inject org.tellonce.platform.outbox.Outbox outbox;
  @Inject com.fasterxml.jackson.databind.ObjectMapper mapper;

  /** A stored Consent version read once: its provisions and the day it was given, and its claim of authority. */
  record Parsed(ConsentPolicy policy, boolean nationalOptOut, Authority.Claim claim) {}

  private final Cache<String, Parsed> parsedConsents = Caffeine.newBuilder().maximumSize(100_000).build();
  private final Cache<String, Agreement> parsedAgreements = Caffeine.newBuilder().maximumSize(10_000).build();

  public record Outcome(long revision, List<PolicyEvaluator.Decision> decisions) {}

  /** Everything decisions about one person rest on, loaded together. */
  public record Loaded(List<String> records, long revision, PolicyEvaluator.PersonState state,
      PersonProjection.Restriction restriction) {}

  /** Loads the person's state; {@code request} names the purpose and actor (for a break-glass grant). */
  public Uni<Loaded> load(ConsentPolicy.Request request) {
    boolean emergency = Purposes.ETREAT.equals(request.purpose());
    return query.load(request.subject(), emergency ? request.organization() : null,
        emergency ? request.user() : null).chain(this::read);
  }

  /**
   * The snapshot with every Consent and agreement in it parsed: those parsed before come from the cache (held here
   * for this decision, whatever the cache evicts meanwhile); the text of the others is read — only then — and parsed.
   */
  Uni<Loaded> read(PersonStateQuery.Snapshot snapshot) {
    Map<String, Parsed> consents = new java.util.HashMap<>();
    java.util.Set<String> unreadConsents = fromCache(snapshot.consents(), PersonStateQuery.ConsentRow::id,
        PersonStateQuery.ConsentRow::key, parsedConsents, consents);
    Map<String, Agreement> agreements = new java.util.HashMap<>();
    java.util.Set<String> unreadAgreements = fromCache(snapshot.agreements(), PersonStateQuery.AgreementRow::id,
        PersonStateQuery.AgreementRow::key, parsedAgreements, agreements);
    if (unreadConsents.isEmpty() && unreadAgreements.isEmpty()) {
      return Uni.createFrom().item(loaded(snapshot, consents, agreements));
    }
    return query.withText(snapshot, unreadConsents, unreadAgreements)
        .map(full -> loaded(full, consents, agreements));
  }

  /** Puts what the cache holds for each row (by its version's key) into {@code into}; answers the ids of the others. */
  private static <R, P> java.util.Set<String> fromCache(List<R> rows, java.util.function.Function<R, String> id,
      java.util.function.Function<R, String> versionKey, Cache<String, P> cache, Map<String, P> into) {
    java.util.Set<String> unread = new java.util.HashSet<>();
    for (R row : rows) {
      String key = versionKey.apply(row);
      P parsed = cache.getIfPresent(key);
      if (parsed == null) {
        unread.add(id.apply(row));
      } else {
        into.put(key, parsed);
      }
    }
    return unread;
  }

  /** The state from a snapshot whose rows carry their text. */
  Loaded loaded(PersonStateQuery.Snapshot snapshot) {
    return loaded(snapshot, Map.of(), Map.of());
  }

  private Loaded loaded(PersonStateQuery.Snapshot snapshot, Map<String, Parsed> parsedBefore,
      Map<String, Agreement> agreementsBefore) {
    Map<String, String> relationships = new LinkedHashMap<>(PolicyEvaluator.PersonState.careTeam(snapshot.careTeam()));
    snapshot.relationshipTypes().forEach((organization, type) ->
        relationships.putIfAbsent(organization, RelationshipProjection.describe(type)));
    Authority.Facts facts = facts(snapshot);
    List<ConsentPolicy> policies = new ArrayList<>();
    LocalDate optedOut = null;
    String undecidable = null;
    for (PersonStateQuery.ConsentRow row : snapshot.consents()) {
      Parsed parsed = parsedBefore.get(row.key());
      try {
        parsed = parsed != null ? parsed : parsedConsents.get(row.key(), key -> parse(row));
      } catch (RuntimeException e) {
        // a Consent that cannot be read might deny: fail closed for the whole person, and say so (no person data)
        LOG.errorf("Consent/%s version %d cannot be read: %s", row.id(), row.version(), e.getClass().getSimpleName());
        undecidable = "the person's Consent/" + row.id() + " cannot be read, so no decision about them can be made;"
            + " the service's operators have been told";
        continue;
      }
      if (parsed.nationalOptOut()) {
        LocalDate day = parsed.policy().recorded();
        optedOut = optedOut == null || (day != null && day.isBefore(optedOut)) ? day : optedOut;
      } else if (Authority.binds(parsed.claim(), facts)) {
        ConsentPolicy policy = parsed.policy();
        policies.add(new ConsentPolicy(policy.consentId(), policy.root(), policy.recorded(),
            row.objection() ? ObjectionService.standing(row.version(), row.reviewVersion(), row.outcome(),
                row.reviewer(), row.role(), row.reviewerOrganization(), row.reviewed(), row.reason()) : null,
            parsed.claim().basis().who()));
      }
    }
    List<Agreement> inForce = new ArrayList<>();
    for (PersonStateQuery.AgreementRow row : snapshot.agreements()) {
      try {
        Agreement parsed = agreementsBefore.get(row.key());
        inForce.add(parsed != null ? parsed : parsedAgreements.get(row.key(),
            key -> AgreementService.agreement(mapper, row.id(), row.body())));
      } catch (RuntimeException e) {
        // an agreement that cannot be read gives no lawful basis (fail closed), and the operators are told
        LOG.errorf("Agreement %s version %d cannot be read: %s", row.id(), row.version(), e.getClass().getSimpleName());
      }
    }
    return new Loaded(snapshot.records(), snapshot.revision(),
        new PolicyEvaluator.PersonState(relationships, policies, snapshot.grant(), inForce, optedOut, undecidable),
        new PersonProjection.Restriction(snapshot.restricted(), snapshot.restrictedBy()));
  }

  /**
   * What authority to consent is checked on, today: the person's date of birth and latest capacity assessment for
   * decisions about sharing their information (every record of the person, following merges).
   */
  public Uni<Authority.Facts> facts(String personId) {
    return query.load(personId, null, null).map(DecisionService::facts);
  }

  private static Authority.Facts facts(PersonStateQuery.Snapshot snapshot) {
    JsonObject capacity = snapshot.capacity();
    return new Authority.Facts(snapshot.birthDate(), capacity == null ? null
        : new Authority.Capacity(capacity.getBoolean("hasCapacity"), LocalDate.parse(capacity.getString("assessed")),
            capacity.getString("assessment")), LocalDate.now(ZoneOffset.UTC));
  }

  /**
   * A stored Consent read into a policy. One recorded before its authority was checked (no readable performer) keeps
   * binding as the person's own: dropping it could drop an objection, which would fail open.
   */
  private static Parsed parse(PersonStateQuery.ConsentRow row) {
    if (row.resource() == null) {
      throw new IllegalStateException("no text stored for this version");
    }
    Consent consent = Fhir.parse(Consent.class, row.resource());
    Authority.Claim claim;
    try {
      claim = Authority.claim(consent, row.personId());
    } catch (org.tellonce.platform.fhir.FhirException e) {
      claim = new Authority.Claim(Authority.Basis.SELF, null, null, null);
    }
    return new Parsed(ConsentReader.policy(row.id(), consent, null, null), row.nationalOptOut(), claim);
  }

  /**
   * A decision about a person counts every record of that person (merged records included); for a restricted person
   * asked about by anyone but the recording organisation, every permit carries the obligation to withhold contact
   * details.
   */
  public Uni<Outcome> decide(ConsentPolicy.Request request, List<ConsentPolicy.Item> items) {
    return load(request).map(loaded -> new Outcome(loaded.revision(), decide(request, items, loaded)))
        .invoke(outcome -> metrics.decided(outcome.decisions()))
        .call(outcome -> recordBreakGlassUse(request, outcome))
        .call(outcome -> auditDisclosures(request, items, outcome));
  }

  /**
   * "Can I share this with them?": each item the asker may see is answered for the recipient (an organisation and
   * roles, never the asker's break-glass grant); an item the asker may not see is denied without saying more. A
   * question discloses nothing, so it records no break-glass use and no audit event.
   */
  public Uni<Outcome> mayShare(ConsentPolicy.Request asker, ConsentPolicy.Request recipient,
      List<ConsentPolicy.Item> items) {
    return load(asker).map(loaded -> {
      List<PolicyEvaluator.Decision> own = decide(asker, items, loaded);
      Loaded forRecipient = new Loaded(loaded.records(), loaded.revision(), new PolicyEvaluator.PersonState(
          loaded.state().relationships(), loaded.state().consents(), null, loaded.state().agreements(),
          loaded.state().nationalOptOut(), loaded.state().undecidable()), loaded.restriction());
      List<PolicyEvaluator.Decision> theirs = decide(recipient, items, forRecipient);
      List<PolicyEvaluator.Decision> answers = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        answers.add(own.get(i).permit() ? theirs.get(i) : new PolicyEvaluator.Decision(items.get(i).id(), false,
            List.of(new org.tellonce.platform.decision.DecisionResponse.Reason("question/not-yours",
                "You may not see this item yourself, so you cannot share it")), List.of()));
      }
      return new Outcome(loaded.revision(), answers);
    });
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
      boolean notable = SecurityLabels.current().anyRestricted(item.labels())
          || basis.startsWith(PolicyEvaluator.BREAK_GLASS) || basis.startsWith(PolicyEvaluator.OBJECTION_OVERRIDE);
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

  /** Every decision that disclosed under a break-glass grant is a use of it, recorded for the privacy officer. */
  private Uni<Void> recordBreakGlassUse(ConsentPolicy.Request request, Outcome outcome) {
    List<String> grants = outcome.decisions().stream()
        .filter(PolicyEvaluator.Decision::permit)
        .flatMap(d -> d.reasons().stream())
        .map(org.tellonce.platform.decision.DecisionResponse.Reason::source)
        .filter(source -> source.startsWith(PolicyEvaluator.BREAK_GLASS))
        .distinct()
        .toList();
    if (grants.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    long items = outcome.decisions().stream().filter(PolicyEvaluator.Decision::permit).count();
    metrics.breakGlassUsed(request.organization(), (int) items);
    return breakGlass.recordUse(grants.get(0).substring(PolicyEvaluator.BREAK_GLASS.length()), (int) items);
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
