package org.tellonce.carerecord.access;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * The enforcement point: asks the consent service once per request about every class of data involved (type and
 * labels; see {@link DataClass}), and fails closed. Any failure to get a complete, well-formed answer refuses the read
 * with 503: nothing is disclosed on an error path.
 */
@ApplicationScoped
public class AccessGate {

  private static final Logger LOG = Logger.getLogger(AccessGate.class);

  /** What the caller may see of one person: the decision on each class, taken at one consent revision. */
  public record Visibility(long revision, Map<String, ItemDecision> decisions) {

    public static final Visibility NOTHING = new Visibility(0, Map.of());

    /** Permitted, and every obligation of the permit can be carried out here (otherwise it counts as denied). */
    public boolean permits(DataClass dataClass) {
      ItemDecision decision = decisions.get(dataClass.key());
      return decision != null && decision.permitted() && Disclosure.understood(decision);
    }

    public ItemDecision decision(DataClass dataClass) {
      return decisions.get(dataClass.key());
    }

    /** The keys ({@code Type|labels}) of the permitted classes, for the record's queries. */
    public List<String> permittedKeys() {
      return decisions.keySet().stream()
          .filter(key -> permits(new DataClass(key.substring(0, key.indexOf('|')), key.substring(key.indexOf('|') + 1))))
          .sorted()
          .toList();
    }
  }

  @Inject @RestClient ConsentClient consent;

  public Uni<Visibility> decide(Actor actor, String personId, String purpose, Collection<DataClass> classes) {
    Set<DataClass> distinct = new LinkedHashSet<>(classes);
    if (distinct.isEmpty()) {
      return Uni.createFrom().item(Visibility.NOTHING);
    }
    DecisionRequest request = new DecisionRequest(personId, purpose,
        new DecisionRequest.RequestActor(actor.organization(), actor.username(), new ArrayList<>(actor.roles())),
        distinct.stream()
            .map(c -> new DecisionRequest.DataItem(c.key(), c.resourceType(), c.labelList()))
            .toList());
    return consent.decide(request)
        .onFailure().transform(e -> {
          LOG.warnf("Consent decision point unavailable: %s", e.getClass().getSimpleName());
          return FhirException.unavailable("The consent service cannot be reached, so the record cannot be shown;"
              + " try again shortly");
        })
        .map(response -> visibility(response, distinct));
  }

  private static Visibility visibility(DecisionResponse response, Set<DataClass> classes) {
    if (response == null || response.decisions() == null || response.decisions().size() != classes.size()) {
      throw FhirException.unavailable("The consent service gave an incomplete answer, so the record cannot be shown");
    }
    Map<String, ItemDecision> byKey = response.decisions().stream()
        .collect(Collectors.toMap(ItemDecision::id, Function.identity(), (a, b) -> a.permitted() ? b : a));
    if (!byKey.keySet().equals(classes.stream().map(DataClass::key).collect(Collectors.toSet()))) {
      throw FhirException.unavailable("The consent service answered about other data, so the record cannot be shown");
    }
    return new Visibility(response.revision(), byKey);
  }
}
