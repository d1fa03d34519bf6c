package org.tellonce.referral.referral;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
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
import org.tellonce.referral.routing.Router;
import org.tellonce.referral.routing.RoutingConfig;

/** Creates referrals: routes each to a receiving organisation and opens its Task, in one transaction with its event. */
@ApplicationScoped
public class ReferralService {

  @Inject ReferralRepository referrals;
  @Inject TaskRepository tasks;
  @Inject RoutingConfig routing;
  @Inject ReferralEvents events;

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
    Router.Route route = Router.route(categories, routing.category(), routing.singlePointOfAccess(), routing.version());
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    Date nowDate = Date.from(now.toInstant());

    String referralId = UUID.randomUUID().toString();
    request.setId(referralId);
    request.getMeta().setVersionId("1").setLastUpdated(nowDate);
    request.setAuthoredOn(nowDate);
    request.setRequester(References.organization(requesterOrganization));
    request.getPerformer().clear();
    request.addPerformer(References.organization(route.recipient()));

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
    task.setRequester(References.organization(requesterOrganization));
    task.setOwner(References.organization(route.recipient()));

    ReferralEntity referral = new ReferralEntity();
    referral.id = referralId;
    referral.personId = personId;
    referral.requesterOrganization = requesterOrganization;
    referral.recipientOrganization = route.recipient();
    referral.routingRule = route.rule();
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
    created.byUser = actor.username();
    created.byOrganization = requesterOrganization;
    created.at = now;
    return referrals.persist(referral)
        .chain(() -> tasks.persist(taskEntity))
        .chain(created::persist)
        .chain(() -> events.created(referral, taskId, categories, actor))
        .replaceWith(new Created(request, task));
  }

  /** The referral, when the caller's organisation sent or received it; otherwise answered as missing. */
  @WithSession
  public Uni<ReferralEntity> visible(String id, Actor actor) {
    return referrals.findById(id).map(referral -> {
      if (referral == null || !(actor.isService() || referral.visibleTo(actor.organization()))) {
        throw FhirException.notFound("ServiceRequest", id);
      }
      return referral;
    });
  }

  @WithSession
  public Uni<Task> task(String id, Actor actor) {
    return tasks.findById(id).chain(task -> {
      if (task == null) {
        throw FhirException.notFound("Task", id);
      }
      return referrals.findById(task.referralId).map(referral -> {
        if (!(actor.isService() || referral.visibleTo(actor.organization()))) {
          throw FhirException.notFound("Task", id);
        }
        return Fhir.parse(Task.class, task.resource);
      });
    });
  }

  @WithSession
  public Uni<List<Task>> tasksFor(String referralId, Actor actor) {
    return referrals.findById(referralId).chain(referral -> {
      if (referral == null || !(actor.isService() || referral.visibleTo(actor.organization()))) {
        return Uni.createFrom().item(List.<Task>of());
      }
      return tasks.forReferral(referralId)
          .map(list -> list.stream().map(t -> Fhir.parse(Task.class, t.resource)).toList());
    });
  }
}
