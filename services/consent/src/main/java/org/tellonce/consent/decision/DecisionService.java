package org.tellonce.consent.decision;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.hl7.fhir.r4.model.Consent;
import org.tellonce.consent.careteam.CareTeamProjection;
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

  public record Outcome(long revision, List<PolicyEvaluator.Decision> decisions) {}

  @WithSession
  public Uni<Outcome> decide(ConsentPolicy.Request request, List<ConsentPolicy.Item> items) {
    return revisions.current(request.subject()).chain(revision -> careTeams.organizations(request.subject())
        .chain(organizations -> consents.activeForPerson(request.subject()).map(active -> {
          List<ConsentPolicy> policies = active.stream()
              .map(entity -> ConsentReader.policy(entity.id, Fhir.parse(Consent.class, entity.resource)))
              .toList();
          var state = new PolicyEvaluator.PersonState(organizations, policies);
          return new Outcome(revision, PolicyEvaluator.decide(request, items, state));
        })));
  }
}
