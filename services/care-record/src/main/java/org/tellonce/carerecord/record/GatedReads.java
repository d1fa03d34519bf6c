package org.tellonce.carerecord.record;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;
import org.tellonce.carerecord.access.AccessGate;
import org.tellonce.carerecord.access.AccessGate.Visibility;
import org.tellonce.carerecord.access.DataClass;
import org.tellonce.carerecord.access.Disclosure;
import org.tellonce.carerecord.audit.AuditService;
import org.tellonce.carerecord.audit.AuditService.Access;
import org.tellonce.carerecord.audit.AuditService.Outcome;
import org.tellonce.carerecord.search.RecordQuery;
import org.tellonce.carerecord.search.RecordQuery.Hit;
import org.tellonce.carerecord.search.SearchRequest;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.security.Actor;

/**
 * Every read of the record: asks the consent service about the classes of data involved (one call), reads only what
 * it permits, carries out the obligations and audits the access, disclosures and denials alike. A resource the caller
 * may not see is answered exactly as a missing one; an error on the way discloses nothing.
 */
@ApplicationScoped
public class GatedReads {

  /** The most resources one page's includes may add. */
  static final int INCLUDE_LIMIT = 1000;

  @Inject RecordService records;
  @Inject RecordQuery query;
  @Inject AccessGate gate;
  @Inject AuditService audit;

  /** A disclosed resource and how it was found ({@code match} or {@code include}). */
  public record Disclosed(Resource resource, boolean included) {}

  /** A page of a search or of $everything, as disclosed to the caller. */
  public record Result(List<Disclosed> resources, Long total, SearchRequest.Cursor next) {}

  /**
   * Before a CarePlan is created: the person's shared care plan is started (or added to) only by an organisation that
   * may see the person's care plan (asked like every read: under the person's current record, a failure audited).
   * Refused with 403, and audited, whether or not the person has one.
   */
  public Uni<Void> mayStartCarePlan(Actor who, Resource resource, String purpose) {
    if (!(resource instanceof org.hl7.fhir.r4.model.CarePlan)) {
      return Uni.createFrom().voidItem();
    }
    return decide(who, RecordTypes.personId(resource), "create", purpose, List.of(SharedCarePlan.PLAN), List.of())
        .chain(gated -> {
          if (gated.visibility().permits(SharedCarePlan.PLAN)) {
            return Uni.createFrom().voidItem();
          }
          return audit.record(new Access(who, gated.personId(), "create", purpose, Outcome.DENIED, List.of(),
                  gated.visibility()))
              .chain(() -> Uni.createFrom().failure(FhirException.forbidden("Your organisation may not see this"
                  + " person's care plan, so it cannot start or add to it; ask the person's care coordinator")));
        });
  }

  /** The current version, or 404 (missing or withheld alike), or 410 when deleted and the caller may know it. */
  public Uni<RecordEntity> read(Actor who, String type, String id, String purpose) {
    return records.findWithPerson(type, id).chain(found -> {
      if (found == null) {
        return denied(who, null, "read", purpose, type + "/" + id).map(ignored -> {
          throw FhirException.notFound(type, id);
        });
      }
      RecordEntity entity = found.entity();
      return decided(who, found.currentPersonId(), "read", purpose, List.of(entity.dataClass()),
              List.of(entity.reference()))
          .chain(gated -> {
            boolean permitted = gated.visibility().permits(entity.dataClass());
            List<String> disclosed = permitted && !entity.deleted ? List.of(entity.reference()) : List.of();
            return audit.record(new Access(who, gated.personId(), "read", purpose,
                    permitted ? Outcome.SUCCESS : Outcome.DENIED, permitted ? disclosed : List.of(entity.reference()),
                    gated.visibility()))
                .map(ignored -> {
                  if (!permitted) {
                    throw FhirException.notFound(type, id);
                  }
                  if (entity.deleted) {
                    throw gone(type, id);
                  }
                  entity.resource = disclose(entity.resource, gated.visibility(), entity.dataClass());
                  return entity;
                });
          });
    });
  }

  /** The current version for a change: the caller must be allowed to see it, or it does not exist for them. */
  public Uni<RecordEntity> forChange(Actor who, String type, String id, String purpose, String interaction) {
    return records.find(type, id).chain(entity -> {
      if (entity == null) {
        return denied(who, null, interaction, purpose, type + "/" + id).map(ignored -> {
          throw FhirException.notFound(type, id);
        });
      }
      return decide(who, entity.personId, interaction, purpose, List.of(entity.dataClass()),
          List.of(entity.reference()))
          .chain(gated -> {
            if (gated.visibility().permits(entity.dataClass())) {
              return Uni.createFrom().item(entity);
            }
            return audit.record(new Access(who, gated.personId(), interaction, purpose, Outcome.DENIED,
                List.of(entity.reference()), gated.visibility())).map(ignored -> {
                  throw FhirException.notFound(type, id);
                });
          });
    });
  }

  /** One version ({@code vread}); 404 when missing or withheld, 410 when it records the deletion. */
  public Uni<Hit> version(Actor who, String type, String id, int version, String purpose) {
    return query.version(type, id, version).chain(hit -> {
      String reference = type + "/" + id + "/_history/" + version;
      if (hit == null) {
        return denied(who, null, "vread", purpose, reference).map(ignored -> {
          throw FhirException.notFound(type, id + "/_history/" + version);
        });
      }
      return records.find(type, id).chain(entity -> decide(who, entity.personId, "vread", purpose,
              List.of(hit.dataClass()), List.of(reference))
          .chain(gated -> {
            boolean permitted = gated.visibility().permits(hit.dataClass());
            return audit.record(new Access(who, gated.personId(), "vread", purpose,
                    permitted ? Outcome.SUCCESS : Outcome.DENIED, List.of(reference), gated.visibility()))
                .map(ignored -> {
                  if (!permitted) {
                    throw FhirException.notFound(type, id + "/_history/" + version);
                  }
                  if (hit.deleted()) {
                    throw gone(type, id);
                  }
                  return hit.withResource(disclose(hit.resource(), gated.visibility(), hit.dataClass()));
                });
          }));
    });
  }

  /**
   * The versions the caller may see, newest first (a deletion is an entry without content). 404 when none is
   * visible, exactly as for a resource that does not exist.
   */
  public Uni<List<Hit>> history(Actor who, String type, String id, String purpose) {
    return query.history(type, id).chain(versions -> {
      if (versions.isEmpty()) {
        return denied(who, null, "history-instance", purpose, type + "/" + id).map(ignored -> {
          throw FhirException.notFound(type, id);
        });
      }
      return records.find(type, id).chain(entity -> decide(who, entity.personId, "history-instance", purpose,
              versions.stream().map(Hit::dataClass).toList(), List.of(type + "/" + id))
          .chain(gated -> {
            List<Hit> visible = new ArrayList<>();
            for (Hit hit : versions) {
              if (gated.visibility().permits(hit.dataClass())) {
                visible.add(hit.deleted() ? hit
                    : hit.withResource(disclose(hit.resource(), gated.visibility(), hit.dataClass())));
              }
            }
            List<String> disclosed = visible.stream().map(h -> h.reference() + "/_history/" + h.version()).toList();
            return audit.record(new Access(who, gated.personId(), "history-instance", purpose,
                    visible.isEmpty() ? Outcome.DENIED : Outcome.SUCCESS,
                    visible.isEmpty() ? List.of(type + "/" + id) : disclosed, gated.visibility()))
                .map(ignored -> {
                  if (visible.isEmpty()) {
                    throw FhirException.notFound(type, id);
                  }
                  return visible;
                });
          }));
    });
  }

  /** One page of a patient-scoped search, with its includes, among what the caller may see. */
  public Uni<Result> search(Actor who, SearchRequest request, String purpose) {
    return records.person(request.personId()).chain(person -> query.classes(person.personIds())
        .chain(classes -> gate.decide(who, person.currentPersonId(), purpose, classes)
            .onFailure(FhirException.class).call(e -> audit.record(new Access(who, request.personId(), "search-type",
                purpose, Outcome.FAILURE, List.of(), null)))
            .chain(visibility -> {
              List<String> permitted = visibility.permittedKeys();
              boolean withheld = classes.stream()
                  .anyMatch(c -> c.resourceType().equals(request.type()) && !visibility.permits(c));
              return query.search(request, person.personIds(), permitted)
                  .chain(page -> includes(request, page.hits(), person.personIds(), permitted).chain(included -> {
                    List<Disclosed> disclosed = new ArrayList<>();
                    page.hits().forEach(hit -> disclosed.add(new Disclosed(resource(hit, visibility), false)));
                    included.forEach(hit -> disclosed.add(new Disclosed(resource(hit, visibility), true)));
                    List<String> references = new ArrayList<>(page.hits().stream().map(Hit::reference).toList());
                    included.forEach(hit -> references.add(hit.reference()));
                    Outcome outcome = references.isEmpty() && withheld ? Outcome.DENIED : Outcome.SUCCESS;
                    return audit.record(new Access(who, request.personId(), "search-type", purpose, outcome,
                            references, visibility))
                        .replaceWith(new Result(disclosed, page.total(), page.next()));
                  }));
            })));
  }

  /** {@code Patient/{id}/$everything}: one page of all the caller may see of the person. */
  public Uni<Result> everything(Actor who, String personId, String purpose, Collection<String> types, Instant since,
      int count, SearchRequest.Cursor cursor) {
    return records.person(personId).chain(person -> query.classes(person.personIds())
        .chain(classes -> gate.decide(who, person.currentPersonId(), purpose, classes)
            .onFailure(FhirException.class).call(e -> audit.record(new Access(who, personId, "operation", purpose,
                Outcome.FAILURE, List.of(), null))))
        .chain(visibility -> query.everything(person.personIds(), visibility.permittedKeys(), types, since, count,
                cursor)
            .chain(page -> {
              List<Disclosed> disclosed = page.hits().stream()
                  .map(hit -> new Disclosed(resource(hit, visibility), false)).toList();
              return audit.record(new Access(who, personId, "operation", purpose, Outcome.SUCCESS,
                      page.hits().stream().map(Hit::reference).toList(),
                      visibility))
                  .replaceWith(new Result(disclosed, page.total(), page.next()));
            })));
  }

  private Uni<List<Hit>> includes(SearchRequest request, List<Hit> matches, List<String> personIds,
      List<String> permitted) {
    if (matches.isEmpty() || (request.includes().isEmpty() && request.revincludes().isEmpty())) {
      return Uni.createFrom().item(List.of());
    }
    List<String> ids = matches.stream().map(Hit::id).toList();
    List<String> references = matches.stream().map(Hit::reference).toList();
    Map<String, Hit> found = new LinkedHashMap<>();
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (SearchRequest.Include include : request.includes()) {
      chain = chain.chain(() -> query.included(include, ids, personIds, permitted, INCLUDE_LIMIT)
          .invoke(hits -> hits.forEach(h -> found.putIfAbsent(h.reference(), h)))).replaceWithVoid();
    }
    for (SearchRequest.Include include : request.revincludes()) {
      chain = chain.chain(() -> query.revincluded(include, references, personIds, permitted, INCLUDE_LIMIT)
          .invoke(hits -> hits.forEach(h -> found.putIfAbsent(h.reference(), h)))).replaceWithVoid();
    }
    return chain.map(ignored -> {
      references.forEach(found::remove);
      return new ArrayList<>(found.values()).subList(0, Math.min(found.size(), INCLUDE_LIMIT));
    });
  }

  private record Gated(String personId, Visibility visibility) {}

  private Uni<Gated> decide(Actor who, String personId, String interaction, String purpose, List<DataClass> classes,
      List<String> entities) {
    return records.currentPerson(personId).chain(current -> decided(who, current, interaction, purpose, classes,
        entities));
  }

  /** The decision for the person's current record ({@code current}: merges already followed). */
  private Uni<Gated> decided(Actor who, String current, String interaction, String purpose, List<DataClass> classes,
      List<String> entities) {
    return gate.decide(who, current, purpose, classes)
        .onFailure(FhirException.class).call(e -> audit.record(new Access(who, current, interaction,
            purpose, Outcome.FAILURE, entities, null)))
        .map(visibility -> new Gated(current, visibility));
  }

  private Uni<Void> denied(Actor who, String personId, String interaction, String purpose, String reference) {
    return audit.record(new Access(who, personId, interaction, purpose, Outcome.DENIED, List.of(reference), null));
  }

  private static Resource resource(Hit hit, Visibility visibility) {
    return Disclosure.apply((Resource) Fhir.json().parseResource(hit.resource()), visibility.decision(hit.dataClass()));
  }

  private static String disclose(String json, Visibility visibility, DataClass dataClass) {
    var decision = visibility.decision(dataClass);
    return Disclosure.needsChange(decision)
        ? Fhir.encode(Disclosure.apply((Resource) Fhir.json().parseResource(json), decision))
        : json;
  }

  private static FhirException gone(String type, String id) {
    return new FhirException(410, IssueType.DELETED, type + "/" + id + " has been deleted");
  }
}
