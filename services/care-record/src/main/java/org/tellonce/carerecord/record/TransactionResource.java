package org.tellonce.carerecord.record;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.tellonce.carerecord.access.PurposeOfUse;
import org.tellonce.carerecord.audit.AuditService;
import org.tellonce.carerecord.audit.AuditService.Access;
import org.tellonce.carerecord.audit.AuditService.Outcome;
import org.tellonce.carerecord.validation.RecordValidator;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.OperationOutcomes;
import org.tellonce.platform.fhir.Versioned;
import org.tellonce.platform.security.Actor;
import org.tellonce.platform.security.CurrentActor;
import org.tellonce.platform.security.Roles;

/**
 * {@code POST /fhir} with a {@code transaction} Bundle (all or nothing: every entry is checked, then all are written in
 * one database transaction, or none is) or a {@code batch} Bundle (each entry on its own, answered with its own
 * status). Entries create ({@code POST}, with {@code urn:uuid:} full URLs that other entries of a transaction may
 * reference), update ({@code PUT Type/id}, with {@code ifMatch}) or delete ({@code DELETE Type/id}).
 */
@Path("/fhir")
@Produces(Fhir.JSON)
@RolesAllowed({Roles.CLINICIAN, Roles.SOCIAL_WORKER, Roles.SUPPORT_WORKER, Roles.CARE_COORDINATOR, Roles.SERVICE})
public class TransactionResource {

  /** The most entries one Bundle may carry; a larger one is refused before any work, saying so. */
  public static final int MAX_ENTRIES = 500;

  @Inject RecordService records;
  @Inject GatedReads reads;
  @Inject RecordValidator validator;
  @Inject AuditService audit;
  @Inject CurrentActor actor;
  @Inject RecordResource single;

  /** One entry as understood: what to do, to which type and id, with which resource. */
  record Entry(int index, HTTPVerb method, String type, String id, Resource resource, Integer ifMatch,
      String ifNoneExist, String fullUrl) {}

  @POST
  @Consumes({Fhir.JSON, "application/json"})
  public Uni<Response> process(Resource body, @HeaderParam(PurposeOfUse.HEADER) String purposeHeader) {
    if (!(body instanceof Bundle bundle)
        || (bundle.getType() != BundleType.TRANSACTION && bundle.getType() != BundleType.BATCH)) {
      throw FhirException.badRequest("POST /fhir takes a Bundle of type transaction or batch");
    }
    if (bundle.getEntry().size() > MAX_ENTRIES) {
      throw new FhirException(413, IssueType.TOOLONG, "A Bundle may carry at most " + MAX_ENTRIES + " entries; this"
          + " one has " + bundle.getEntry().size() + ": split it");
    }
    String purpose = PurposeOfUse.of(purposeHeader);
    return bundle.getType() == BundleType.TRANSACTION
        ? transaction(bundle, purpose).map(result -> Response.ok(result, Fhir.JSON).build())
        : batch(bundle).map(result -> Response.ok(result, Fhir.JSON).build());
  }

  private Uni<Bundle> transaction(Bundle bundle, String purpose) {
    Actor who = actor.get();
    String organization = actor.requireOrganization();
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < bundle.getEntry().size(); i++) {
      entries.add(entry(i, bundle.getEntry().get(i), true));
    }
    // The ids of what the transaction creates (by entry), and the references their full URLs stand for.
    Map<Integer, String> ids = new HashMap<>();
    Map<String, String> assigned = new HashMap<>();
    for (Entry entry : entries) {
      if (entry.method() == HTTPVerb.POST) {
        String id = UUID.randomUUID().toString();
        ids.put(entry.index(), id);
        if (entry.fullUrl() != null && assigned.put(entry.fullUrl(), entry.type() + "/" + id) != null) {
          throw FhirException.badRequest("Entry " + entry.index() + ": fullUrl is used by two entries");
        }
      }
    }
    Map<String, String> created = new HashMap<>();
    for (Entry entry : entries) {
      if (entry.resource() == null) {
        continue;
      }
      for (Reference reference : Fhir.context().newTerser().getAllPopulatedChildElementsOfType(entry.resource(),
          Reference.class)) {
        String target = assigned.get(reference.getReference());
        if (target != null) {
          reference.setReference(target);
        }
      }
      if (entry.method() == HTTPVerb.POST) {
        created.put(entry.type() + "/" + ids.get(entry.index()),
            RecordTypes.personId(entry.resource()));
      }
    }
    // Everything that can refuse is checked first: validation, what the caller may see and change.
    Map<Integer, Integer> seen = new HashMap<>();
    Uni<Void> checks = Uni.createFrom().voidItem();
    for (Entry entry : entries) {
      checks = checks.chain(() -> check(entry, who, organization, purpose, seen)
          .onFailure(FhirException.class).transform(e -> inEntry(entry, (FhirException) e)));
    }
    List<Entry> ordered = new ArrayList<>();
    for (HTTPVerb method : List.of(HTTPVerb.DELETE, HTTPVerb.POST, HTTPVerb.PUT)) {
      entries.stream().filter(e -> e.method() == method).forEach(ordered::add);
    }
    BundleEntryComponent[] responses = new BundleEntryComponent[entries.size()];
    List<Access> accesses = new ArrayList<>();
    return checks.chain(() -> Panache.withTransaction(() -> {
      Uni<Void> writes = Uni.createFrom().voidItem();
      for (Entry entry : ordered) {
        writes = writes.chain(() -> write(entry, who, organization, seen, ids, created)
            .invoke(written -> {
              responses[entry.index()] = response(written.entity(), entry.method());
              accesses.add(new Access(who, written.entity().personId, interaction(entry.method()), null,
                  Outcome.SUCCESS, List.of(written.entity().reference()), null));
            })
            .onFailure(FhirException.class).transform(e -> inEntry(entry, (FhirException) e))
            .replaceWithVoid());
      }
      return writes;
    })).chain(() -> {
      Uni<Void> audited = Uni.createFrom().voidItem();
      for (Access access : accesses) {
        audited = audited.chain(() -> audit.record(access));
      }
      return audited;
    }).map(ignored -> {
      Bundle answer = new Bundle().setType(BundleType.TRANSACTIONRESPONSE);
      for (BundleEntryComponent response : responses) {
        answer.addEntry(response);
      }
      return answer;
    });
  }

  private Uni<Void> check(Entry entry, Actor who, String organization, String purpose, Map<Integer, Integer> seen) {
    Uni<Void> valid = entry.resource() == null ? Uni.createFrom().voidItem() : validator.validate(entry.resource());
    if (entry.method() == HTTPVerb.POST) {
      return valid.chain(() -> reads.mayStartCarePlan(who, entry.resource(), purpose));
    }
    return valid.chain(() -> reads.forChange(who, entry.type(), entry.id(), purpose,
            interaction(entry.method())))
        .invoke(current -> {
          RecordResource.mayChange(current, entry.resource(), organization);
          Versioned.check(entry.ifMatch(), current.version, entry.type() + "/" + entry.id());
          seen.put(entry.index(), current.version);
        })
        .replaceWithVoid();
  }

  private Uni<RecordService.Written> write(Entry entry, Actor who, String organization, Map<Integer, Integer> seen,
      Map<Integer, String> ids, Map<String, String> created) {
    return switch (entry.method()) {
      case POST -> records.create(entry.resource(), who, organization, null, ids.get(entry.index()), created);
      case PUT -> records.update(entry.resource(), seen.get(entry.index()), entry.ifMatch(), who, organization)
          .map(entity -> new RecordService.Written(entity, false));
      case DELETE -> records.delete(entry.type(), entry.id(), seen.get(entry.index()), who, organization)
          .map(entity -> new RecordService.Written(entity, false));
      default -> throw new IllegalStateException();
    };
  }

  /** A batch: each entry as if sent alone, through the same REST interactions; one failing fails only itself. */
  private Uni<Bundle> batch(Bundle bundle) {
    Bundle answer = new Bundle().setType(BundleType.BATCHRESPONSE);
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (int i = 0; i < bundle.getEntry().size(); i++) {
      BundleEntryComponent request = bundle.getEntry().get(i);
      int index = i;
      BundleEntryComponent response = answer.addEntry();
      chain = chain.chain(() -> Uni.createFrom().deferred(() -> {
            Entry entry = entry(index, request, false);
            return switch (entry.method()) {
              case POST -> single.create(entry.type(), entry.ifNoneExist(), null, entry.resource());
              case PUT -> single.update(entry.type(), entry.id(), ifMatchHeader(entry), null, entry.resource());
              case DELETE -> single.delete(entry.type(), entry.id(), null);
              default -> throw new IllegalStateException();
            };
          })
          .invoke(result -> fill(response, result))
          .onFailure(FhirException.class).recoverWithItem(e -> {
            fill(response, failed((FhirException) e));
            return null;
          })
          .replaceWithVoid());
    }
    return chain.replaceWith(answer);
  }

  private static Response failed(FhirException e) {
    return Response.status(e.status()).entity(OperationOutcomes.error(e.issueType(), e.getMessage())).build();
  }

  private static void fill(BundleEntryComponent entry, Response response) {
    Bundle.BundleEntryResponseComponent answer = entry.getResponse();
    answer.setStatus(response.getStatus() + " " + response.getStatusInfo().getReasonPhrase());
    if (response.getLocation() != null) {
      answer.setLocation(response.getLocation().toString());
    }
    if (response.getEntityTag() != null) {
      answer.setEtag("W/\"" + response.getEntityTag().getValue() + "\"");
    } else if (response.getHeaderString("ETag") != null) {
      answer.setEtag(response.getHeaderString("ETag"));
    }
    Object body = response.getEntity();
    if (body instanceof OperationOutcome outcome) {
      answer.setOutcome(outcome);
    } else if (body instanceof Resource resource) {
      entry.setResource(resource);
    }
  }

  private static String ifMatchHeader(Entry entry) {
    return entry.ifMatch() == null ? null : "W/\"" + entry.ifMatch() + "\"";
  }

  /** Reads one entry's request: a 400 names the entry and what is wrong with it. */
  static Entry entry(int index, BundleEntryComponent component, boolean transaction) {
    Bundle.BundleEntryRequestComponent request = component.getRequest();
    if (request == null || request.getMethod() == null || !request.hasUrl()) {
      throw FhirException.badRequest("Entry " + index + ": request.method and request.url are required");
    }
    HTTPVerb method = request.getMethod();
    String url = request.getUrl().replaceFirst("^/", "");
    if (url.contains("?")) {
      throw FhirException.badRequest("Entry " + index + ": conditional URLs are not supported; create"
          + " with ifNoneExist in a batch");
    }
    String[] parts = url.split("/");
    Resource resource = component.getResource();
    String type = parts[0];
    RecordTypes.requireWritable(type);
    switch (method) {
      case POST -> {
        if (parts.length != 1 || resource == null || !type.equals(resource.fhirType())) {
          throw FhirException.badRequest("Entry " + index + ": POST takes url Type and a resource of that type");
        }
        if (transaction && request.hasIfNoneExist()) {
          throw FhirException.badRequest("Entry " + index + ": ifNoneExist is supported in batch Bundles, not in"
              + " transactions");
        }
        resource.setId((String) null);
      }
      case PUT -> {
        if (parts.length != 2 || resource == null || !type.equals(resource.fhirType())
            || !parts[1].equals(resource.getIdElement().getIdPart())) {
          throw FhirException.badRequest("Entry " + index + ": PUT takes url Type/id and that resource with that id");
        }
      }
      case DELETE -> {
        if (parts.length != 2) {
          throw FhirException.badRequest("Entry " + index + ": DELETE takes url Type/id");
        }
      }
      default -> throw FhirException.badRequest("Entry " + index + ": " + method.toCode() + " is not supported in a"
          + " Bundle; read with search");
    }
    if (resource != null) {
      // The parser links a reference to the entry it names; the record stores references, never copies of them.
      Fhir.context().newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)
          .forEach(reference -> reference.setResource(null));
    }
    return new Entry(index, method, type, parts.length > 1 ? parts[1] : null, resource,
        Versioned.ifMatch(request.getIfMatch()), request.getIfNoneExist(),
        component.hasFullUrl() ? component.getFullUrl() : null);
  }

  private static FhirException inEntry(Entry entry, FhirException e) {
    return new FhirException(e.status(), e.issueType(), "Entry " + entry.index() + " (" + entry.method().toCode() + " "
        + entry.type() + "): " + e.getMessage() + " Nothing in the transaction was stored.", e.issues());
  }

  private static BundleEntryComponent response(RecordEntity entity, HTTPVerb method) {
    BundleEntryComponent entry = new BundleEntryComponent();
    String status = switch (method) {
      case POST -> "201 Created";
      case DELETE -> "204 No Content";
      default -> "200 OK";
    };
    entry.getResponse().setStatus(status)
        .setLocation(entity.reference() + "/_history/" + entity.version)
        .setEtag("W/\"" + entity.version + "\"")
        .setLastModified(java.util.Date.from(entity.updatedAt.toInstant()));
    return entry;
  }

  private static String interaction(HTTPVerb method) {
    return switch (method) {
      case POST -> "create";
      case PUT -> "update";
      default -> "delete";
    };
  }
}
