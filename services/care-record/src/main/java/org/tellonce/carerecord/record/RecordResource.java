package org.tellonce.carerecord.record;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.SearchEntryMode;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;
import org.tellonce.carerecord.access.PurposeOfUse;
import org.tellonce.carerecord.audit.AuditService;
import org.tellonce.carerecord.audit.AuditService.Access;
import org.tellonce.carerecord.audit.AuditService.Outcome;
import org.tellonce.carerecord.search.RecordQuery.Hit;
import org.tellonce.carerecord.search.SearchRequest;
import org.tellonce.carerecord.validation.RecordValidator;
import org.tellonce.platform.fhir.Bundles;
import org.tellonce.platform.fhir.EncodedResource;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.OperationOutcomes;
import org.tellonce.platform.fhir.References;
import org.tellonce.platform.fhir.Versioned;
import org.tellonce.platform.security.Actor;
import org.tellonce.platform.security.CurrentActor;
import org.tellonce.platform.security.Roles;

/**
 * FHIR REST for the shared record: create (conditional by identifier), read, vread, update (If-Match), delete,
 * history and patient-scoped search. Every read asks the consent service once about the classes of data involved and
 * is audited; a resource the caller may not see is answered exactly as a missing one.
 */
@Path("/fhir/{type}")
@Produces(Fhir.JSON)
@RolesAllowed({Roles.CLINICIAN, Roles.SOCIAL_WORKER, Roles.SUPPORT_WORKER, Roles.CARE_COORDINATOR, Roles.SERVICE})
public class RecordResource {

  /** Told with every patient-scoped search, whatever it found: so it never says whether anything was withheld. */
  static final String MAY_BE_WITHHELD = "Information in the shared record may be withheld from you by the person's"
      + " consent, objections or sharing rules. Absence of information here does not mean that nothing is recorded.";

  @Inject RecordService records;
  @Inject GatedReads reads;
  @Inject AuditService audit;
  @Inject CurrentActor actor;
  @Inject RecordValidator validator;
  @Inject PersonDemographics demographics;
  @Inject OverdueWorklist worklist;

  @POST
  @Consumes({Fhir.JSON, "application/json"})
  public Uni<Response> create(@PathParam("type") String type, @HeaderParam("If-None-Exist") String ifNoneExist,
      @HeaderParam(PurposeOfUse.HEADER) String purpose, Resource resource) {
    RecordTypes.requireWritable(type);
    requireType(type, resource);
    if (resource.hasIdElement() && resource.getIdElement().hasIdPart()) {
      throw FhirException.badRequest("A resource to create must not carry an id; the record gives it one (use PUT"
          + " to update)");
    }
    Actor who = actor.get();
    String organization = actor.requireOrganization();
    return validator.validate(resource)
        .chain(() -> reads.mayStartCarePlan(who, resource, PurposeOfUse.of(purpose)))
        .chain(() -> records.create(resource, who, organization, ifNoneExist))
        .chain(written -> {
      if (written.created()) {
        return audit.record(new Access(who, written.entity().personId, "create", null, Outcome.SUCCESS,
                List.of(written.entity().reference()), null))
            .replaceWith(Versioned.created(parse(written.entity().resource)));
      }
      // A conditional create that matched: the caller gets the existing resource only if they may see it.
      RecordEntity existing = written.entity();
      return reads.read(who, type, existing.id, PurposeOfUse.of(null))
          .map(entity -> Versioned.okAt(parse(entity.resource)))
          .onFailure(e -> e instanceof FhirException f && f.status() == 404)
          .recoverWithItem(() -> Response.ok(OperationOutcomes.of(IssueSeverity.INFORMATION, IssueType.DUPLICATE,
                  "Your organisation already recorded this " + type + "; nothing was created"), Fhir.JSON)
              .build());
    });
  }

  @GET
  @Path("/{id}")
  public Uni<Response> read(@PathParam("type") String type, @PathParam("id") String id,
      @HeaderParam(PurposeOfUse.HEADER) String purpose) {
    RecordTypes.require(type);
    // the JSON as stored (or as an obligation changed it), answered without a parse and a second encoding
    return reads.read(actor.get(), type, id, PurposeOfUse.of(purpose))
        .map(entity -> Versioned.ok(new EncodedResource(entity.resource, String.valueOf(entity.version),
            Date.from(entity.updatedAt.toInstant()))));
  }

  @PUT
  @Path("/{id}")
  @Consumes({Fhir.JSON, "application/json"})
  public Uni<Response> update(@PathParam("type") String type, @PathParam("id") String id,
      @HeaderParam("If-Match") String ifMatch, @HeaderParam(PurposeOfUse.HEADER) String purpose, Resource resource) {
    RecordTypes.requireWritable(type);
    requireType(type, resource);
    if (!id.equals(resource.getIdElement().getIdPart())) {
      throw FhirException.badRequest("The body's id must be the id in the URL (" + type + "/{id})");
    }
    Integer expected = Versioned.ifMatch(ifMatch);
    Actor who = actor.get();
    String organization = actor.requireOrganization();
    return validator.validate(resource)
        .chain(() -> reads.forChange(who, type, id, PurposeOfUse.of(purpose), "update"))
        .chain(current -> {
          mayChange(current, resource, organization);
          Versioned.check(expected, current.version, type + "/" + id);
          return records.update(resource, current.version, expected, who, organization);
        }).call(entity -> audit.record(new Access(who, entity.personId, "update", null, Outcome.SUCCESS,
        List.of(entity.reference()), null)))
        .map(entity -> Versioned.okAt(parse(entity.resource)));
  }

  @DELETE
  @Path("/{id}")
  public Uni<Response> delete(@PathParam("type") String type, @PathParam("id") String id,
      @HeaderParam(PurposeOfUse.HEADER) String purpose) {
    RecordTypes.requireWritable(type);
    Actor who = actor.get();
    String organization = actor.requireOrganization();
    return records.find(type, id).chain(entity -> entity != null && entity.deleted
        ? reads.read(who, type, id, PurposeOfUse.of(purpose)).replaceWith(Response.noContent().build())
            .onFailure(e -> e instanceof FhirException f && f.status() == 410)
            .recoverWithItem(() -> Response.noContent().build())
        : reads.forChange(who, type, id, PurposeOfUse.of(purpose), "delete").chain(current -> {
          mayChange(current, null, organization);
          return records.delete(type, id, current.version, who, organization);
        }).call(deleted -> audit.record(new Access(who, deleted.personId, "delete", null, Outcome.SUCCESS,
            List.of(deleted.reference()), null)))
        .replaceWith(Response.noContent().build()));
  }

  @GET
  @Path("/{id}/_history")
  public Uni<Bundle> history(@PathParam("type") String type, @PathParam("id") String id,
      @HeaderParam(PurposeOfUse.HEADER) String purpose, @Context UriInfo uri) {
    RecordTypes.require(type);
    Bundles.requireOnly(uri, Set.of());
    return reads.history(actor.get(), type, id, PurposeOfUse.of(purpose)).map(versions -> {
      Bundle bundle = new Bundle().setType(BundleType.HISTORY).setTotal(versions.size());
      bundle.setTimestamp(new Date());
      bundle.addLink().setRelation("self").setUrl(Bundles.self(uri));
      for (Hit version : versions) {
        Bundle.BundleEntryComponent entry = bundle.addEntry().setFullUrl(version.reference());
        if (version.deleted()) {
          entry.getRequest().setMethod(Bundle.HTTPVerb.DELETE).setUrl(version.reference());
          entry.getResponse().setStatus("410 Gone");
        } else {
          entry.setResource(parse(version.resource()));
          entry.getRequest().setMethod(version.version() == 1 ? Bundle.HTTPVerb.POST : Bundle.HTTPVerb.PUT)
              .setUrl(version.version() == 1 ? type : version.reference());
          entry.getResponse().setStatus(version.version() == 1 ? "201 Created" : "200 OK")
              .setEtag("W/\"" + version.version() + "\"");
        }
      }
      return bundle;
    });
  }

  @GET
  @Path("/{id}/_history/{version}")
  public Uni<Response> vread(@PathParam("type") String type, @PathParam("id") String id,
      @PathParam("version") String version, @HeaderParam(PurposeOfUse.HEADER) String purpose) {
    RecordTypes.require(type);
    if (!version.matches("[1-9][0-9]{0,8}")) {
      throw FhirException.notFound(type, id + "/_history/" + version);
    }
    return reads.version(actor.get(), type, id, Integer.parseInt(version), PurposeOfUse.of(purpose))
        .map(hit -> Versioned.ok(parse(hit.resource())));
  }

  /** {@code GET /fhir/Task/$overdue}: the caller's organisation's overdue MDT actions across people ({@link OverdueWorklist}). */
  @GET
  @Path("/$overdue")
  public Uni<Bundle> overdue(@PathParam("type") String type, @QueryParam("_count") String count,
      @HeaderParam(PurposeOfUse.HEADER) String purpose, @Context UriInfo uri) {
    if (!"Task".equals(type)) {
      throw FhirException.badRequest("$overdue is an operation on Task: GET /fhir/Task/$overdue");
    }
    return worklist.overdue(actor.get(), actor.requireOrganization(), count, purpose, uri);
  }

  @GET
  public Uni<Bundle> search(@PathParam("type") String type, @Context UriInfo uri,
      @HeaderParam(PurposeOfUse.HEADER) String purpose, @HeaderParam("Prefer") String prefer) {
    RecordTypes.require(type);
    Set<String> personParameters = new LinkedHashSet<>(List.of(RecordTypes.personElement(type), "patient", "subject"));
    SearchRequest request = SearchRequest.parse(type, uri.getQueryParameters(), personParameters, lenient(prefer));
    return reads.search(actor.get(), request, PurposeOfUse.of(purpose))
        .map(result -> SearchBundles.of(result, request.countOnly(), uri, request.ignored(), MAY_BE_WITHHELD));
  }

  @GET
  @Path("/{id}/$everything")
  public Uni<Bundle> everything(@PathParam("type") String type, @PathParam("id") String id, @Context UriInfo uri,
      @HeaderParam(PurposeOfUse.HEADER) String purpose, @HeaderParam("Authorization") String authorization) {
    if (!"Patient".equals(type)) {
      throw FhirException.notFound(type, id + "/$everything");
    }
    Everything request = Everything.parse(id, uri.getQueryParameters());
    Actor who = actor.get();
    String purposeOfUse = PurposeOfUse.of(purpose);
    Uni<GatedReads.Result> page = request.onlyPatient()
        ? Uni.createFrom().item(new GatedReads.Result(List.of(), null, null))
        : reads.everything(who, request.personId(), purposeOfUse, request.types(), request.since(), request.count(),
            request.cursor());
    return page.chain(result -> demographics.forEverything(who, request, purposeOfUse, authorization)
        .map(patient -> SearchBundles.everything(result, uri, MAY_BE_WITHHELD, patient)));
  }

  /** {@code Prefer: handling=lenient} ignores unknown search parameters (and says so); strict, the default, refuses. */
  static boolean lenient(String prefer) {
    return prefer != null && prefer.replace(" ", "").toLowerCase().contains("handling=lenient");
  }

  /**
   * Who may change a resource ({@code proposed} is null for a delete): the organisation that recorded it; anyone who may
   * see it for the shared care plan, which only its recorder deletes (each activity keeps the organisation that
   * contributed it, {@link SharedCarePlan}); the owner of a Task (an MDT action) to report progress.
   */
  static void mayChange(RecordEntity current, Resource proposed, String organization) {
    if (organization.equals(current.sourceOrganization)) {
      return;
    }
    if (SharedCarePlan.TYPE.equals(current.resourceType)) {
      if (proposed != null) {
        return;
      }
      throw FhirException.forbidden("Only the organisation that recorded this shared care plan ("
          + current.sourceOrganization + ") may delete it; mark your own activities cancelled instead");
    }
    if ("Task".equals(current.resourceType)) {
      Task task = (Task) parse(current.resource);
      Reference owner = task.getOwner();
      if (organization.equals(References.organizationCode(owner))) {
        return;
      }
    }
    throw FhirException.forbidden("Only the organisation that recorded this " + current.resourceType + " ("
        + current.sourceOrganization + ") may change it" + ("Task".equals(current.resourceType)
            ? ", or the organisation that owns the task" : "") + "; record your own information alongside it");
  }

  private static void requireType(String type, Resource resource) {
    if (!type.equals(resource.fhirType())) {
      throw FhirException.badRequest("The body is a " + resource.fhirType() + " but was sent to /fhir/" + type);
    }
  }

  static Resource parse(String json) {
    return (Resource) Fhir.json().parseResource(json);
  }
}
