package org.tellonce.carerecord.monitor;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.security.Actor;
import org.tellonce.platform.security.CurrentActor;
import org.tellonce.platform.security.Roles;

/**
 * Inappropriate-access alerts: the privacy officer's queue for their own organisation (an administrator's for any),
 * and the review of each alert as appropriate or not, with a note. Another organisation's alert is 404, as if it did
 * not exist.
 */
@Path("/alerts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.PRIVACY_OFFICER, Roles.ADMIN})
public class AlertResource {

  static final Set<String> STATUSES = Set.of(AlertEntity.OPEN, AlertEntity.APPROPRIATE, AlertEntity.INAPPROPRIATE);
  static final int MAX = 200;

  @Inject CurrentActor actor;
  @Inject ObjectMapper mapper;

  public record ReviewRequest(String outcome, String note) {}

  public record AlertView(String id, String rule, String user, String organization, OffsetDateTime raised,
      OffsetDateTime first, OffsetDateTime last, int occurrences, List<String> persons, String description,
      String status, String reviewedBy, OffsetDateTime reviewedAt, String reviewNote) {}

  @GET
  @WithSession
  public Uni<List<AlertView>> queue(@QueryParam("organization") String organization,
      @QueryParam("status") @DefaultValue(AlertEntity.OPEN) String status,
      @QueryParam("_count") @DefaultValue("50") int count) {
    if (!STATUSES.contains(status)) {
      throw FhirException.badRequest("status must be one of " + STATUSES.stream().sorted().toList());
    }
    if (count < 1 || count > MAX) {
      throw FhirException.badRequest("_count must be between 1 and " + MAX);
    }
    String scope = scope();
    if (scope != null && organization != null && !organization.equals(scope)) {
      throw FhirException.forbidden("A privacy officer sees the alerts of their own organisation only");
    }
    String of = scope != null ? scope : organization;
    Uni<List<AlertEntity>> found = of == null
        ? AlertEntity.<AlertEntity>find("status = ?1 order by raisedAt desc", status).page(0, count).list()
        : AlertEntity.<AlertEntity>find("organization = ?1 and status = ?2 order by raisedAt desc", of, status)
            .page(0, count).list();
    return found.map(alerts -> alerts.stream().map(this::view).toList());
  }

  @GET
  @Path("/{id}")
  @WithSession
  public Uni<AlertView> get(@PathParam("id") String id) {
    return visible(id).map(this::view);
  }

  @POST
  @Path("/{id}/review")
  @WithTransaction
  public Uni<AlertView> review(@PathParam("id") String id, ReviewRequest request) {
    if (request == null || request.outcome() == null
        || !Set.of(AlertEntity.APPROPRIATE, AlertEntity.INAPPROPRIATE).contains(request.outcome())) {
      throw FhirException.badRequest("Give {\"outcome\": \"appropriate\" | \"inappropriate\", \"note\": \"…\"}");
    }
    if (request.note() == null || request.note().isBlank()) {
      throw FhirException.badRequest("A review needs a note: what was found, and what was done");
    }
    Actor who = actor.get();
    return visible(id).map(alert -> {
      if (!AlertEntity.OPEN.equals(alert.status)) {
        throw FhirException.conflict("Alert " + id + " was already reviewed as " + alert.status + " by "
            + alert.reviewedBy);
      }
      alert.status = request.outcome();
      alert.reviewedBy = who.username();
      alert.reviewedAt = OffsetDateTime.now(ZoneOffset.UTC);
      alert.reviewNote = request.note();
      return view(alert);
    });
  }

  /** The caller's organisation, or null for an administrator (who sees every organisation's alerts). */
  private String scope() {
    Actor who = actor.get();
    return who.hasRole(Roles.ADMIN) ? null : actor.requireOrganization();
  }

  private Uni<AlertEntity> visible(String id) {
    String scope = scope();
    return AlertEntity.<AlertEntity>findById(id).map(alert -> {
      if (alert == null || (scope != null && !scope.equals(alert.organization))) {
        throw FhirException.notFound("Alert", id);
      }
      return alert;
    });
  }

  private AlertView view(AlertEntity a) {
    List<String> persons;
    try {
      persons = mapper.readValue(a.persons, new TypeReference<List<String>>() {}).stream()
          .map(p -> "Patient/" + p).toList();
    } catch (Exception e) {
      throw new IllegalStateException("Alert " + a.id + " holds unreadable person ids", e);
    }
    return new AlertView(a.id, a.rule, a.user, a.organization, a.raisedAt, a.firstAt, a.lastAt, a.occurrences,
        persons, a.description, a.status, a.reviewedBy, a.reviewedAt, a.reviewNote);
  }
}
