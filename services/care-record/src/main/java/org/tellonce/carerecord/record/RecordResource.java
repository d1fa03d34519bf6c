package org.tellonce.carerecord.record;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.tellonce.carerecord.access.Disclosure;
import org.tellonce.platform.decision.DecisionResponse.ItemDecision;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;
import org.tellonce.carerecord.access.AccessGate;
import org.tellonce.carerecord.access.AccessGate.Candidate;
import org.tellonce.carerecord.access.PurposeOfUse;
import org.tellonce.carerecord.audit.AuditService;
import org.tellonce.carerecord.audit.AuditService.Access;
import org.tellonce.carerecord.audit.AuditService.Outcome;
import org.tellonce.platform.fhir.Bundles;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.References;
import org.tellonce.platform.fhir.OperationOutcomes;
import org.tellonce.platform.security.Actor;
import org.tellonce.platform.security.CurrentActor;
import org.tellonce.platform.security.Roles;

/**
 * FHIR REST for the shared record. Every read is gated by one batch decision of the consent service and audited; a
 * resource the caller may not see is answered exactly as a missing one.
 */
@Path("/fhir/{type}")
@Produces(Fhir.JSON)
@RolesAllowed({Roles.CLINICIAN, Roles.SOCIAL_WORKER, Roles.SUPPORT_WORKER, Roles.CARE_COORDINATOR, Roles.SERVICE})
public class RecordResource {

  static final String WITHHELD = "Some information in this record is withheld from you by the person's consent or"
      + " sharing rules. Absence of information here does not mean that nothing is recorded.";

  @Inject RecordService records;
  @Inject AccessGate gate;
  @Inject AuditService audit;
  @Inject CurrentActor actor;

  @POST
  @Consumes({Fhir.JSON, "application/json"})
  public Uni<Response> create(@PathParam("type") String type, Resource resource) {
    RecordTypes.require(type);
    if (!type.equals(resource.fhirType())) {
      throw FhirException.badRequest("The body is a " + resource.fhirType() + " but was sent to /fhir/" + type);
    }
    Actor who = actor.get();
    String organization = actor.requireOrganization();
    return records.create(resource, who, organization)
        .call(entity -> audit.record(new Access(who, entity.personId, "create", null, Outcome.SUCCESS,
            List.of(entity.reference()), null)))
        .map(entity -> Response.created(URI.create(entity.reference() + "/_history/1"))
            .header("ETag", "W/\"1\"")
            .type(Fhir.JSON)
            .entity(entity.resource)
            .build());
  }

  @GET
  @Path("/{id}")
  public Uni<Response> read(
      @PathParam("type") String type, @PathParam("id") String id, @HeaderParam(PurposeOfUse.HEADER) String purposeHeader) {
    RecordTypes.require(type);
    String purpose = PurposeOfUse.of(purposeHeader);
    Actor who = actor.get();
    return records.find(type, id).chain(entity -> {
      if (entity == null) {
        return audit.record(new Access(who, null, "read", purpose, Outcome.DENIED, List.of(type + "/" + id), null))
            .map(ignored -> {
              throw FhirException.notFound(type, id);
            });
      }
      Candidate candidate = new Candidate(entity.reference(), type, entity.labelList());
      return gate.decide(who, entity.personId, purpose, List.of(candidate))
          .onFailure(FhirException.class).call(e -> audit.record(new Access(who, entity.personId, "read", purpose,
              Outcome.FAILURE, List.of(entity.reference()), null)))
          .chain(verdict -> {
            boolean permitted = verdict.permits(entity.reference());
            return audit.record(new Access(who, entity.personId, "read", purpose,
                    permitted ? Outcome.SUCCESS : Outcome.DENIED, List.of(entity.reference()), verdict.revision()))
                .map(ignored -> {
                  if (!permitted) {
                    throw FhirException.notFound(type, id);
                  }
                  ItemDecision decision = verdict.decisions().get(entity.reference());
                  Object body = Disclosure.needsChange(decision)
                      ? Disclosure.apply((Resource) Fhir.json().parseResource(entity.resource), decision)
                      : entity.resource;
                  return Response.ok(body, Fhir.JSON)
                      .header("ETag", "W/\"" + entity.version + "\"")
                      .build();
                });
          });
    });
  }

  @GET
  public Uni<Bundle> search(
      @PathParam("type") String type, @Context UriInfo uri, @HeaderParam(PurposeOfUse.HEADER) String purposeHeader) {
    RecordTypes.require(type);
    String element = RecordTypes.personElement(type);
    Bundles.requireOnly(uri, new java.util.TreeSet<>(List.of(element, "patient", "subject")));
    String value = uri.getQueryParameters().getFirst(element);
    if (value == null) {
      value = uri.getQueryParameters().getFirst("patient");
    }
    if (value == null) {
      value = uri.getQueryParameters().getFirst("subject");
    }
    if (value == null || value.isBlank()) {
      throw FhirException.badRequest("Searches of the shared record are by person: ?" + element + "={id}");
    }
    String personId = References.personIdParameter(value, element);
    String purpose = PurposeOfUse.of(purposeHeader);
    Actor who = actor.get();
    String self = Bundles.self(uri);
    return records.forPerson(type, personId).chain(held -> {
      List<RecordEntity> found = held.records();
      List<Candidate> candidates = found.stream()
          .map(e -> new Candidate(e.reference(), type, e.labelList()))
          .toList();
      return gate.decide(who, held.currentPersonId(), purpose, candidates)
          .onFailure(FhirException.class).call(e -> audit.record(new Access(who, personId, "search-type", purpose,
              Outcome.FAILURE, List.of(), null)))
          .chain(verdict -> {
            List<Resource> permitted = new ArrayList<>();
            List<String> disclosed = new ArrayList<>();
            for (RecordEntity entity : found) {
              if (verdict.permits(entity.reference())) {
                permitted.add(Disclosure.apply((Resource) Fhir.json().parseResource(entity.resource),
                    verdict.decisions().get(entity.reference())));
                disclosed.add(entity.reference());
              }
            }
            boolean withheld = permitted.size() < found.size();
            Outcome outcome = withheld && permitted.isEmpty() ? Outcome.DENIED : Outcome.SUCCESS;
            Long revision = candidates.isEmpty() ? null : verdict.revision();
            return audit.record(new Access(who, personId, "search-type", purpose, outcome, disclosed, revision))
                .map(ignored -> {
                  Bundle bundle = Bundles.searchset(permitted, self);
                  if (withheld) {
                    Bundles.withOutcome(bundle, OperationOutcomes.of(IssueSeverity.INFORMATION, IssueType.SUPPRESSED,
                        WITHHELD));
                  }
                  return bundle;
                });
          });
    });
  }
}
