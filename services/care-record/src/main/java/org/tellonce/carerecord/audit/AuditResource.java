package org.tellonce.carerecord.audit;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.SearchEntryMode;
import org.tellonce.carerecord.audit.AuditService.Access;
import org.tellonce.carerecord.audit.AuditService.Outcome;
import org.tellonce.carerecord.search.SearchRequest;
import org.tellonce.platform.fhir.Bundles;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.References;
import org.tellonce.platform.fhir.SearchParameters;
import org.tellonce.platform.security.Actor;
import org.tellonce.platform.security.CurrentActor;
import org.tellonce.platform.security.Roles;

/**
 * "Who viewed my record": the audit trail of a person, for privacy officers answering the person (a subject access
 * request) or looking into an alert. Newest first, paged; reading it is itself audited.
 */
@Path("/fhir/AuditEvent")
@Produces(Fhir.JSON)
@RolesAllowed({Roles.PRIVACY_OFFICER, Roles.ADMIN})
public class AuditResource {

  static final Set<String> PARAMETERS = Set.of("patient", "_count", "_cursor");

  @Inject AuditService audit;
  @Inject CurrentActor actor;

  @GET
  public Uni<Bundle> search(@Context UriInfo uri) {
    Bundles.requireOnly(uri, PARAMETERS);
    var query = uri.getQueryParameters();
    String patient = SearchRequest.single(query, "patient");
    if (patient == null) {
      throw FhirException.badRequest("The audit trail is searched by person: ?patient={id}");
    }
    String personId = References.personIdParameter(patient, "patient");
    int count = SearchParameters.count(SearchRequest.single(query, "_count"), 50, 500);
    String cursor = SearchRequest.single(query, "_cursor");
    long before;
    try {
      before = cursor == null ? Long.MAX_VALUE : Long.parseLong(cursor);
    } catch (NumberFormatException e) {
      throw FhirException.badRequest("_cursor is not one this server gave out; follow the Bundle's links");
    }
    Actor who = actor.get();
    return audit.trail(personId, before, count + 1).chain(entries -> audit.record(new Access(who, personId,
            "search-type", null, Outcome.SUCCESS, List.of("AuditEvent?patient=" + personId), null))
        .map(ignored -> {
          Bundle bundle = new Bundle().setType(BundleType.SEARCHSET);
          bundle.setTimestamp(new Date());
          bundle.addLink().setRelation("self").setUrl(Bundles.self(uri));
          List<AuditEntity> page = entries.subList(0, Math.min(count, entries.size()));
          for (AuditEntity entry : page) {
            bundle.addEntry().setFullUrl("AuditEvent/" + entry.id)
                .setResource(Fhir.parse(AuditEvent.class, entry.resource))
                .getSearch().setMode(SearchEntryMode.MATCH);
          }
          if (entries.size() > count) {
            bundle.addLink().setRelation("next").setUrl(Bundles.withParameter(uri, "_cursor",
                String.valueOf(page.get(page.size() - 1).position)));
          }
          return bundle;
        }));
  }

  @GET
  @Path("/{id}")
  public Uni<AuditEvent> read(@PathParam("id") String id) {
    return audit.find(id).map(entry -> {
      if (entry == null) {
        throw FhirException.notFound("AuditEvent", id);
      }
      return Fhir.parse(AuditEvent.class, entry.resource);
    });
  }
}
