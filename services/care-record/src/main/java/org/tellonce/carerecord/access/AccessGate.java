package org.tellonce.carerecord.access;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;
import org.tellonce.platform.decision.DecisionRequest;
import org.tellonce.platform.decision.DecisionResponse;
import org.tellonce.platform.decision.DecisionResponse.ItemDecision;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.security.Actor;

/**
 * The enforcement point: asks the consent service once per response about every resource in it, and fails closed.
 * Any failure to get a complete, well-formed answer refuses the read with 503: nothing is disclosed on an error path.
 */
@ApplicationScoped
public class AccessGate {

  private static final Logger LOG = Logger.getLogger(AccessGate.class);

  /** A resource to decide on: its reference ({@code Type/id}), type and security labels. */
  public record Candidate(String reference, String resourceType, List<String> labels) {}

  /** The decisions, by reference, with the revision they were taken at. */
  public record Verdict(long revision, Map<String, ItemDecision> decisions) {
    /** Permitted, and every obligation of the permit can be carried out here (otherwise it counts as denied). */
    public boolean permits(String reference) {
      ItemDecision decision = decisions.get(reference);
      return decision != null && decision.permitted() && Disclosure.understood(decision);
    }
  }

  @Inject @RestClient ConsentClient consent;

  public Uni<Verdict> decide(Actor actor, String personId, String purpose, List<Candidate> candidates) {
    if (candidates.isEmpty()) {
      return Uni.createFrom().item(new Verdict(0, Map.of()));
    }
    DecisionRequest request = new DecisionRequest(personId, purpose,
        new DecisionRequest.RequestActor(actor.organization(), actor.username(), new ArrayList<>(actor.roles())),
        candidates.stream()
            .map(c -> new DecisionRequest.DataItem(c.reference(), c.resourceType(), c.labels()))
            .toList());
    return consent.decide(request)
        .onFailure().transform(e -> {
          LOG.warnf("Consent decision point unavailable: %s", e.getClass().getSimpleName());
          return FhirException.unavailable("The consent service cannot be reached, so the record cannot be shown;"
              + " try again shortly");
        })
        .map(response -> verdict(response, candidates));
  }

  private static Verdict verdict(DecisionResponse response, List<Candidate> candidates) {
    if (response == null || response.decisions() == null || response.decisions().size() != candidates.size()) {
      throw FhirException.unavailable("The consent service gave an incomplete answer, so the record cannot be shown");
    }
    Map<String, ItemDecision> byId = response.decisions().stream()
        .collect(Collectors.toMap(ItemDecision::id, Function.identity(), (a, b) -> a.permitted() ? b : a));
    return new Verdict(response.revision(), byId);
  }
}
