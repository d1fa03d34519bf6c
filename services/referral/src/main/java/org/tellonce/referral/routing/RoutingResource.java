package org.tellonce.referral.routing;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.security.Roles;

/**
 * Routing in the open: which rule would route a would-be referral and why, without creating it; and which rules are
 * in force (with the problems of a change that was refused).
 */
@Path("/routing")
@Produces(MediaType.APPLICATION_JSON)
public class RoutingResource {

  /**
   * A would-be referral: the categories asked for, its priority and reasons; the person (their age and postcode
   * district as identity knows them) or, instead, a locality, postcode district or age given here.
   */
  public record WouldBe(String personId, List<String> categories, String priority, List<String> reasons,
      String locality, String postcodeDistrict, Integer age) {}

  /** The decision, with the rules tried, the teams considered, and the response time that would apply. */
  public record Explanation(int rulesVersion, String rule, String routingRule, String recipientOrganization,
      String recipientService, String summary, String respondWithin, Instant deadlineIfReferredNow,
      List<Router.Step> rulesTried, List<Router.Candidate> teamsConsidered) {}

  @Inject Routing routing;

  @POST
  @Path("/explain")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.CLINICIAN, Roles.SOCIAL_WORKER, Roles.SUPPORT_WORKER, Roles.CARE_COORDINATOR, Roles.ADMIN,
      Roles.SERVICE})
  @WithSession
  public Uni<Explanation> explain(WouldBe referral) {
    if (referral == null || referral.categories() == null) {
      throw FhirException.badRequest("Describe the would-be referral: {\"categories\": [\"crisis\"], \"priority\":"
          + " \"urgent\", \"personId\": \"…\"} (or locality / postcodeDistrict / age instead of personId)");
    }
    if (referral.priority() != null && !RoutingRules.PRIORITIES.contains(referral.priority())) {
      throw FhirException.badRequest("priority is one of " + RoutingRules.PRIORITIES);
    }
    if (referral.age() != null && (referral.age() < 0 || referral.age() > 130)) {
      throw FhirException.badRequest("age is whole years from 0 to 130");
    }
    Uni<Routing.Person> person = referral.personId() == null
        ? Uni.createFrom().item(new Routing.Person(null, null, null, null))
        : routing.person(referral.personId());
    return person.map(known -> {
      Routing.Person facts = new Routing.Person(known.id(),
          referral.age() != null ? java.time.LocalDate.now(Calendar.LONDON).minusYears(referral.age()) : known.birthDate(),
          referral.postcodeDistrict() != null ? referral.postcodeDistrict() : known.postcodeDistrict(), null);
      Router.Decision decision = routing.route(routing.facts(new LinkedHashSet<>(referral.categories()),
          referral.priority(), referral.reasons() == null ? Set.of() : Set.copyOf(referral.reasons()),
          referral.locality(), facts), true);
      RuleBook.Snapshot snapshot = routing.snapshot();
      RoutingRules.Rule rule = snapshot.rules().rules().stream().filter(r -> r.id().equals(decision.rule()))
          .findFirst().orElse(null);
      Deadline within = snapshot.rules().deadline(rule, referral.priority() == null ? "routine" : referral.priority());
      return new Explanation(decision.rulesVersion(), decision.rule(), decision.routingRule(),
          decision.recipientOrganization(), decision.recipientService(), decision.summary(), within.toString(),
          snapshot.calendar().deadline(Instant.now(), within), decision.trace(), decision.candidates());
    });
  }

  /** The rules in force: version, digest, when loaded, and the problems of the last change that was refused. */
  @GET
  @Path("/rules")
  @RolesAllowed({Roles.ADMIN, Roles.SERVICE, Roles.CLINICIAN, Roles.SOCIAL_WORKER, Roles.SUPPORT_WORKER,
      Roles.CARE_COORDINATOR, Roles.PRIVACY_OFFICER})
  public RuleBook.Status rules() {
    return routing.status();
  }
}
