package org.tellonce.consent.decision;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.time.Duration;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * How long an enforcement point may reuse a decision, and the other half of that promise: every change made through
 * this service's API is acknowledged only once that long has passed since it was stored.
 *
 * <p>An answer reused for at most the lease, counted by the asker from the moment it sent the question, was computed
 * from state read after that moment; a change acknowledged a lease after it was stored therefore finds every answer
 * taken before it expired. So no read permitted after an acknowledged withdrawal can rest on a reused answer, across
 * any number of replicas, without the consent service having to know who holds answers (leases, not invalidation
 * messages: Gray and Cheriton's argument). The cost is the lease added to each acknowledged change.
 *
 * <p>Changes that reach this service as events (care teams, relationships, merges) are not acknowledged to anyone; an
 * answer reflects them at most a lease after they are stored.
 */
@ApplicationScoped
public class DecisionLease {

  static final Set<String> CHANGES = Set.of("POST", "PUT", "PATCH", "DELETE");

  @ConfigProperty(name = "tellonce.consent.decision-lease", defaultValue = "PT0.5S")
  Duration lease;

  public long millis() {
    return lease.toMillis();
  }

  /** Holds back the answer to a successful change until every decision taken before it has expired. */
  @ServerResponseFilter
  public Uni<Void> holdAcknowledgement(ContainerRequestContext request, ContainerResponseContext response) {
    if (lease.isZero() || response.getStatus() >= 300 || !changes(request.getMethod(), request.getUriInfo().getPath())) {
      return Uni.createFrom().voidItem();
    }
    return Uni.createFrom().voidItem().onItem().delayIt().by(lease);
  }

  /** A request that may change what is decided: any write but a question to the decision point. */
  static boolean changes(String method, String path) {
    String relative = path.startsWith("/") ? path.substring(1) : path;
    return CHANGES.contains(method) && !relative.equals("decisions") && !relative.startsWith("decisions/");
  }
}
