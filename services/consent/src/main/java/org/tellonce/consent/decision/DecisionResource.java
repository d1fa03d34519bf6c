package org.tellonce.consent.decision;

import org.tellonce.platform.decision.Purposes;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.tellonce.platform.decision.DecisionRequest;
import org.tellonce.platform.decision.DecisionRequest.DataItem;
import org.tellonce.platform.decision.DecisionResponse;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.security.Actor;
import org.tellonce.platform.security.CurrentActor;
import org.tellonce.platform.security.Roles;

/** The decision point: one call answers a batch of data items for one person, actor and purpose. */
@Path("/decisions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.CLINICIAN, Roles.SOCIAL_WORKER, Roles.SUPPORT_WORKER, Roles.CARE_COORDINATOR,
    Roles.PRIVACY_OFFICER, Roles.ADMIN, Roles.SERVICE})
public class DecisionResource {

  static final int MAX_ITEMS = 1000;

  @Inject DecisionService decisions;
  @Inject CurrentActor caller;
  @Inject DecisionLease lease;

  @POST
  public Uni<DecisionResponse> decide(DecisionRequest body) {
    ConsentPolicy.Request request = request(body, caller.get());
    List<ConsentPolicy.Item> items = body.data().stream()
        .map(d -> new ConsentPolicy.Item(d.id(), d.resourceType(),
            d.labels() == null ? Set.of() : new HashSet<>(d.labels())))
        .toList();
    Uni<DecisionService.Outcome> answer = body.recipient() == null ? decisions.decide(request, items)
        : decisions.mayShare(request, recipient(body.recipient(), request), items);
    return answer.map(outcome -> new DecisionResponse(outcome.revision(),
        outcome.decisions().stream()
            .map(d -> new DecisionResponse.ItemDecision(d.id(), d.permit() ? DecisionResponse.PERMIT : DecisionResponse.DENY, d.reasons(),
                d.obligations()))
            .toList(), lease.millis()));
  }

  /** The recipient of "can I share this with them?": an organisation and roles, never a user's grants. */
  static ConsentPolicy.Request recipient(DecisionRequest.RequestActor recipient, ConsentPolicy.Request asker) {
    if (recipient.organization() == null || !recipient.organization().matches("[A-Za-z0-9]{3,12}")) {
      throw FhirException.badRequest("recipient.organization must be an ODS or council code");
    }
    return new ConsentPolicy.Request(asker.subject(), recipient.organization(), null,
        recipient.roles() == null ? Set.of() : Set.copyOf(recipient.roles()), asker.purpose(), asker.time());
  }

  static ConsentPolicy.Request request(DecisionRequest body, Actor caller) {
    if (body == null) {
      throw FhirException.badRequest("The body must be a decision request: {subject, purpose, actor?, data[]}");
    }
    if (body.subject() == null || !body.subject().matches("[A-Za-z0-9\\-.]{1,64}")) {
      throw FhirException.badRequest("subject must be the person's id");
    }
    String purpose = body.purpose() == null ? "TREAT" : body.purpose();
    if (!Purposes.KNOWN.contains(purpose)) {
      throw FhirException.badRequest("purpose must be one of " + Purposes.KNOWN);
    }
    if (body.data() == null || body.data().isEmpty()) {
      throw FhirException.badRequest("data must list at least one item");
    }
    if (body.data().size() > MAX_ITEMS) {
      throw FhirException.badRequest("At most " + MAX_ITEMS + " data items per request");
    }
    for (DataItem item : body.data()) {
      if (item == null || item.id() == null || item.resourceType() == null) {
        throw FhirException.badRequest("Every data item needs an id and a resourceType");
      }
    }
    String organization = caller.organization();
    String user = caller.username();
    Set<String> roles = caller.roles();
    if (body.actor() != null) {
      if (!caller.isService()) {
        throw FhirException.forbidden("Only a tellonce service may ask on behalf of another actor;"
            + " leave out actor to ask for yourself");
      }
      organization = body.actor().organization();
      user = body.actor().user();
      roles = body.actor().roles() == null ? Set.of() : Set.copyOf(body.actor().roles());
    }
    return new ConsentPolicy.Request(body.subject(), organization, user, roles, purpose, Instant.now());
  }
}
