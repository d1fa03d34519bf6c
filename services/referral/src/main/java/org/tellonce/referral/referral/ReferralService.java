package org.tellonce.referral.referral;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.PrimitiveType;
import java.util.UUID;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestIntent;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Task.TaskIntent;
import org.hl7.fhir.r4.model.Task.TaskStatus;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.References;
import org.tellonce.platform.security.Actor;
import org.tellonce.referral.access.ReferralAccess;
import org.tellonce.referral.routing.Router;
import org.tellonce.referral.routing.Routing;
import org.tellonce.referral.sla.Deadlines;

/** Creates referrals: routes each to a receiving organisation and opens its Task, in one transaction with its event. */
@ApplicationScoped
public class ReferralService {

  @Inject ReferralRepository referrals;
  @Inject TaskRepository tasks;
  @Inject Routing routing;
  @Inject ReferralEvents events;
  @Inject Deadlines deadlines;
  @Inject ReferralAccess access;

  /** The stored referral and its Task, as returned to the caller. */
  public record Created(ServiceRequest serviceRequest, Task task) {}

  @WithTransaction
  public Uni<Created> create(ServiceRequest request, Actor actor, String requesterOrganization) {
    String personId = References.patientId(request.getSubject(), "ServiceRequest.subject");
    if (!request.hasStatus()) {
      request.setStatus(ServiceRequestStatus.ACTIVE);
    } else if (request.getStatus() != ServiceRequestStatus.ACTIVE && request.getStatus() != ServiceRequestStatus.DRAFT) {
      throw FhirException.unprocessable("A new referral has status active (or draft), not " + request.getStatus().toCode());
    }
    if (!request.hasIntent()) {
      request.setIntent(ServiceRequestIntent.ORDER);
    }
    List<String> categories = request.getCategory().stream()
        .flatMap(c -> c.getCoding().stream())
        .map(Coding::getCode)
        .filter(code -> code != null)
        .toList();
    Set<String> reasons = request.getReasonCode().stream().flatMap(c -> c.getCoding().stream())
        .map(Coding::getCode).filter(code -> code != null).collect(Collectors.toSet());
    String locality = statedLocality(request);
    Instant discharge = dischargeDate(request, categories);
    String priority = request.hasPriority() ? request.getPriority().toCode() : "routine";
    return routing.person(personId).chain(person -> {
      Router.Decision route = routing.route(routing.facts(Set.copyOf(categories), priority, reasons, locality, person),
          false);
      return store(request, personId, categories, route, actor, requesterOrganization)
          .call(created -> deadlines.start(created.serviceRequest().getIdPart(), Deadlines.RESPONSE, Instant.now(),
              route.routingRule(), priority))
          .call(created -> discharge == null ? Uni.createFrom().voidItem()
              : deadlines.start(created.serviceRequest().getIdPart(), Deadlines.FOLLOW_UP, discharge,
                  route.routingRule(), priority))
          .invoke(() -> routing.routed(route));
    });
  }

  /** A self-referral names the person as its requester: the referral's own subject. */
  static boolean isSelfReferral(ServiceRequest request, String personId) {
    String requester = request.hasRequester() ? request.getRequester().getReference() : null;
    if (requester == null || !requester.startsWith("Patient/")) {
      return false;
    }
    if (!requester.equals("Patient/" + personId)) {
      throw FhirException.unprocessable("ServiceRequest.requester may name a Patient only for a self-referral: the"
          + " person the referral is for");
    }
    return true;
  }

  /** The category of a follow-up after a mental-health inpatient discharge. */
  static final String DISCHARGE = "discharge-follow-up";

  /**
   * The (estimated) discharge date of a discharge follow-up referral: {@code occurrenceDateTime}, or the start of
   * {@code occurrencePeriod}; required for one, ignored otherwise. The follow-up clock runs from it.
   */
  static Instant dischargeDate(ServiceRequest request, List<String> categories) {
    if (!categories.contains(DISCHARGE)) {
      return null;
    }
    java.util.Date date = null;
    if (request.hasOccurrenceDateTimeType()) {
      date = request.getOccurrenceDateTimeType().getValue();
    } else if (request.hasOccurrencePeriod() && request.getOccurrencePeriod().hasStart()) {
      date = request.getOccurrencePeriod().getStart();
    }
    if (date == null) {
      throw FhirException.unprocessable("A " + DISCHARGE + " referral needs the (estimated) discharge date as"
          + " ServiceRequest.occurrenceDateTime: the follow-up is due within the rule's time of it");
    }
    return date.toInstant();
  }

  /** The locality a referral states (extension {@link Routing#LOCALITY}), or null. */
  static String statedLocality(ServiceRequest request) {
    var stated = request.getExtensionsByUrl(Routing.LOCALITY);
    if (stated.isEmpty()) {
      return null;
    }
    if (stated.size() > 1 || !(stated.get(0).getValue() instanceof PrimitiveType<?> code)
        || code.getValueAsString() == null || !code.getValueAsString().matches("[a-z0-9-]{1,40}")) {
      throw FhirException.unprocessable("Extension " + Routing.LOCALITY + " is given at most once, as a valueCode"
          + " naming a locality (lower-case letters, digits and dashes)");
    }
    return code.getValueAsString();
  }

  private Uni<Created> store(ServiceRequest request, String personId, List<String> categories, Router.Decision route,
      Actor actor, String requesterOrganization) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    Date nowDate = Date.from(now.toInstant());

    String referralId = UUID.randomUUID().toString();
    request.setId(referralId);
    request.getMeta().setVersionId("1").setLastUpdated(nowDate);
    request.setAuthoredOn(nowDate);
    boolean selfReferral = isSelfReferral(request, personId);
    if (selfReferral && !requesterOrganization.equals(routing.singlePointOfAccess()) && !actor.isService()) {
      throw FhirException.forbidden("A self-referral (requester: the person) is recorded by the single point of"
          + " access (" + routing.singlePointOfAccess() + "); refer as your organisation instead");
    }
    // who asks: the organisation; or, for a self-referral, the person (recorded by the single point of access)
    request.setRequester(selfReferral ? new Reference("Patient/" + personId)
        : References.organization(requesterOrganization));
    ReferralWorkflow.performers(request, route.recipientOrganization(), route.recipientService(),
        routing.team(route.recipientService()));

    Task task = new Task();
    String taskId = UUID.randomUUID().toString();
    task.setId(taskId);
    task.getMeta().setVersionId("1").setLastUpdated(nowDate);
    task.setStatus(TaskStatus.REQUESTED);
    task.setIntent(TaskIntent.ORDER);
    task.setPriority(request.hasPriority()
        ? Task.TaskPriority.fromCode(request.getPriority().toCode()) : Task.TaskPriority.ROUTINE);
    task.setFocus(new Reference("ServiceRequest/" + referralId));
    task.setFor(new Reference("Patient/" + personId));
    task.setAuthoredOn(nowDate);
    task.setLastModified(nowDate);
    task.setRequester(request.getRequester().copy());
    task.setOwner(References.organization(route.recipientOrganization()));

    ReferralEntity referral = new ReferralEntity();
    referral.id = referralId;
    referral.personId = personId;
    referral.requesterOrganization = requesterOrganization;
    referral.recipientOrganization = route.recipientOrganization();
    referral.recipientService = route.recipientService();
    referral.routingRule = route.routingRule();
    referral.version = 1;
    referral.serviceRequest = Fhir.encode(request);
    referral.createdAt = now;
    TaskEntity taskEntity = new TaskEntity();
    taskEntity.id = taskId;
    taskEntity.referralId = referralId;
    taskEntity.status = task.getStatus().toCode();
    taskEntity.version = 1;
    taskEntity.resource = Fhir.encode(task);
    taskEntity.updatedAt = now;

    referral.status = taskEntity.status;
    referral.priority = task.getPriority().toCode();
    referral.updatedAt = now;
    HistoryEntry created = new HistoryEntry();
    created.referralId = referralId;
    created.seq = 1;
    created.kind = HistoryEntry.CREATED;
    created.toStatus = referral.status;
    created.toRecipient = referral.recipientOrganization;
    created.toService = referral.recipientService;
    created.byUser = actor.username();
    created.byOrganization = requesterOrganization;
    created.at = now;
    return referrals.persist(referral)
        .chain(() -> tasks.persist(taskEntity))
        .chain(created::persist)
        .chain(() -> events.created(referral, taskId, categories, actor))
        .replaceWith(new Created(request, task));
  }

  /**
   * The referral as the caller may see it: missing to an organisation not on it; in full to the referrer; to the
   * receiver in full or as the minimal referral, as consent allows (decided, audited).
   */
  @WithTransaction
  public Uni<ServiceRequest> read(String id, Actor actor) {
    return referrals.findById(id).chain(referral -> {
      if (referral == null || !referral.visibleTo(actor)) {
        throw FhirException.notFound("ServiceRequest", id);
      }
      ServiceRequest request = Fhir.parse(ServiceRequest.class, referral.serviceRequest);
      return access.decide(referral, actor).map(shown -> shown.full() ? request : ReferralAccess.minimal(request));
    });
  }

  /** A Task about a referral, as the caller may see it (the workflow Task without its notes when not in full). */
  @WithTransaction
  public Uni<Task> task(String id, Actor actor) {
    return tasks.findById(id).chain(task -> {
      if (task == null) {
        throw FhirException.notFound("Task", id);
      }
      return referrals.findById(task.referralId).chain(referral -> {
        if (!referral.visibleTo(actor)) {
          throw FhirException.notFound("Task", id);
        }
        return shown(referral, List.of(task), actor).map(list -> list.get(0));
      });
    });
  }

  /** The Tasks of a referral (its workflow Task, then the referrer's obtain-consent Task if any). */
  @WithTransaction
  public Uni<List<Task>> tasksFor(String referralId, Actor actor) {
    return referrals.findById(referralId).chain(referral -> {
      if (referral == null || !referral.visibleTo(actor)) {
        return Uni.createFrom().item(List.<Task>of());
      }
      return tasks.allFor(referralId).chain(list -> shown(referral, list, actor));
    });
  }

  /** A workflow Task the caller just moved, as they may see it. */
  @WithTransaction
  public Uni<Task> moved(ReferralWorkflow.Loaded loaded, Actor actor) {
    return shown(loaded.referral(), List.of(loaded.task()), actor).map(list -> list.get(0));
  }

  private Uni<List<Task>> shown(ReferralEntity referral, List<TaskEntity> found, Actor actor) {
    return access.decide(referral, actor).map(shown -> found.stream().map(t -> {
      Task task = Fhir.parse(Task.class, t.resource);
      return shown.full() || !TaskEntity.WORKFLOW.equals(t.kind) ? task : ReferralAccess.minimal(task);
    }).toList());
  }
}
