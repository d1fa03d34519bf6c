package org.tellonce.referral.referral;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Task.TaskStatus;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.References;
import org.tellonce.platform.fhir.Versioned;
import org.tellonce.platform.security.Actor;
import org.tellonce.referral.routing.Routing;
import org.tellonce.referral.routing.Team;
import org.tellonce.referral.sla.Deadlines;
import org.tellonce.referral.workflow.Workflow;
import org.tellonce.referral.workflow.Workflow.Party;
import org.tellonce.referral.workflow.Workflow.Status;

/**
 * Moves referrals along their lifecycle and between services: each move is checked against the workflow, made under
 * a lock on the referral (two concurrent moves cannot both apply), kept in the history with who and why, mirrored on
 * the Task and the ServiceRequest, and published with the notifications it calls for, all in one transaction.
 */
@ApplicationScoped
public class ReferralWorkflow {

  /** The longest reason or handover note kept. */
  static final int MAX_TEXT = 4000;
  static final String SINGLE_POINT_OF_ACCESS = "single-point-of-access";

  @Inject ReferralRepository referrals;
  @Inject TaskRepository tasks;
  @Inject ReferralEvents events;
  @Inject Routing routing;
  @Inject Deadlines deadlines;
  @Inject org.tellonce.referral.access.ReferralAccess access;

  /** A referral with its Task, loaded together. */
  public record Loaded(ReferralEntity referral, TaskEntity task) {
    public Task resource() {
      return Fhir.parse(Task.class, task.resource);
    }
  }

  /** A referral and its Task, locked for a move; answered as missing when the caller's organisation is not on it. */
  Uni<Loaded> lockByTask(String taskId, Actor actor) {
    return tasks.findById(taskId, LockModeType.PESSIMISTIC_WRITE).chain(task -> {
      if (task == null) {
        throw FhirException.notFound("Task", taskId);
      }
      if (!TaskEntity.WORKFLOW.equals(task.kind)) {
        throw FhirException.conflict("Task/" + taskId + " is not a referral's workflow Task (it is its " + task.kind
            + " Task, which completes itself once the receiving organisation may see the referral)");
      }
      return referrals.findById(task.referralId, LockModeType.PESSIMISTIC_WRITE).map(referral -> {
        if (!referral.visibleTo(actor)) {
          throw FhirException.notFound("Task", taskId);
        }
        return new Loaded(referral, task);
      });
    });
  }

  /** The Task of a referral (by the referral's id), for the plain API. */
  @WithSession
  public Uni<String> taskOf(String referralId, Actor actor) {
    return referrals.findById(referralId).chain(referral -> {
      if (referral == null || !referral.visibleTo(actor)) {
        throw FhirException.notFound("Referral", referralId);
      }
      return tasks.forReferral(referralId).map(list -> list.get(0).id);
    });
  }

  /** The referral, its Task and its history, when the caller's organisation is on it. */
  @WithTransaction
  public Uni<Summary> summary(String referralId, Actor actor) {
    return referrals.findById(referralId).chain(referral -> {
      if (referral == null || !referral.visibleTo(actor)) {
        throw FhirException.notFound("Referral", referralId);
      }
      return summarised(referral, actor);
    });
  }

  /**
   * The referral just moved by the caller, as it now is. Whoever is still on it sees it as always; the organisation
   * that has just redirected it sees where it went and when, with no moves left and without reasons or handover notes
   * (it is no longer theirs to act on).
   */
  @WithTransaction
  public Uni<Summary> summaryAfterMove(String referralId, Actor actor) {
    return referrals.findById(referralId).chain(referral -> referral.visibleTo(actor) ? summarised(referral, actor)
        : summarised(referral, List.of(), Uni.createFrom().item(false)));
  }

  private Uni<Summary> summarised(ReferralEntity referral, Actor actor) {
    return summarised(referral, allowed(referral, actor),
        Uni.createFrom().deferred(() -> access.decide(referral, actor)).map(shown -> shown.full()));
  }

  /** The summary with these moves allowed; {@code full} (asked once the rest is read) says whether reasons show. */
  private Uni<Summary> summarised(ReferralEntity referral, List<String> allowed, Uni<Boolean> full) {
    return tasks.forReferral(referral.id).chain(list -> history(referral.id)
        .chain(history -> deadlines.of(referral.id)
            .chain(clocks -> full.map(shown -> Summary.of(referral, list.get(0), history, allowed, clocks, shown)))));
  }

  static Uni<List<HistoryEntry>> history(String referralId) {
    return HistoryEntry.<HistoryEntry>find("referralId = ?1 order by seq", referralId).list();
  }

  /** The moves the caller may make now (statuses, and "redirect"), for worklists and the 409 that names them. */
  List<String> allowed(ReferralEntity referral, Actor actor) {
    Status status = Status.of(referral.status);
    boolean receiver = isParty(referral, actor, Party.RECEIVER);
    boolean referrer = isParty(referral, actor, Party.REFERRER);
    List<String> moves = new java.util.ArrayList<>(Workflow.next(status, heldFrom(referral)).stream()
        .filter(to -> Workflow.mover(to) == Party.RECEIVER ? receiver : referrer)
        .filter(to -> to != Status.REJECTED || atSinglePointOfAccess(referral))
        .map(Status::code).toList());
    if (receiver && Workflow.redirectable(status)) {
      moves.add("redirect");
    }
    return moves;
  }

  @WithTransaction
  public Uni<Loaded> transition(String taskId, Status to, String reason, Integer ifMatch, Actor actor) {
    return lockByTask(taskId, actor).chain(loaded -> {
      ReferralEntity referral = loaded.referral();
      Party party = Workflow.mover(to);
      if (!isParty(referral, actor, party)) {
        throw FhirException.forbidden("Only the " + (party == Party.RECEIVER ? "receiving" : "referring")
            + " organisation (" + (party == Party.RECEIVER ? referral.recipientOrganization
            : referral.requesterOrganization) + ") may make this referral " + to.code());
      }
      Versioned.check(ifMatch, loaded.task().version, "Task/" + taskId);
      Status from = Status.of(referral.status);
      Workflow.check(from, heldFrom(referral), to, atSinglePointOfAccess(referral));
      String why = text(reason, "reason", Workflow.needsReason(to));
      OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
      referral.heldFrom = to == Status.ON_HOLD ? from.code() : null;
      referral.status = to.code();
      Task task = loaded.resource();
      task.setStatus(TaskStatus.fromCode(to.code()));
      task.setStatusReason(why == null ? null : new CodeableConcept().setText(why));
      HistoryEntry entry = entry(referral, HistoryEntry.TRANSITION, from.code(), actor, now);
      entry.fromRecipient = referral.recipientOrganization;
      entry.reason = why;
      return save(loaded, task, now, entry)
          .chain(() -> stopClocks(referral.id, to, now.toInstant()))
          .chain(() -> events.statusChanged(referral, taskId, from.code(), actor))
          .replaceWith(loaded);
    });
  }

  /**
   * Sends a referral on to another service with a handover note (a warm handover, not a rejection). A redirect to an
   * organisation that already held the referral would start a loop: it goes to the single point of access instead,
   * which may send it anywhere.
   */
  @WithTransaction
  public Uni<Loaded> redirect(String taskId, String target, String note, Integer ifMatch, Actor actor) {
    String handover = text(note, "note (the handover note)", true);
    return lockByTask(taskId, actor).chain(loaded -> {
      ReferralEntity referral = loaded.referral();
      if (!isParty(referral, actor, Party.RECEIVER)) {
        throw FhirException.forbidden("Only the receiving organisation (" + referral.recipientOrganization
            + ") may redirect this referral");
      }
      Versioned.check(ifMatch, loaded.task().version, "Task/" + taskId);
      Status from = Status.of(referral.status);
      if (!Workflow.redirectable(from)) {
        throw FhirException.conflict("A referral that is " + from.code() + " cannot be redirected"
            + (from.terminal() ? "; it is closed" : "; it is under way with " + referral.recipientOrganization
            + ": complete it or put it on hold first"));
      }
      Destination destination = destination(target);
      if (destination.organization().equals(referral.recipientOrganization)
          && java.util.Objects.equals(destination.service(), referral.recipientService)) {
        throw FhirException.unprocessable("The referral is already with " + destination.organization()
            + "; redirect it elsewhere");
      }
      return history(referral.id).chain(history -> {
        Set<String> held = new java.util.HashSet<>();
        history.forEach(h -> held.add(h.toRecipient));
        String spa = routing.singlePointOfAccess();
        boolean loop = held.contains(destination.organization()) && !atSinglePointOfAccess(referral)
            && !destination.organization().equals(spa)
            && !destination.organization().equals(referral.recipientOrganization);
        String previous = referral.recipientOrganization;
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        referral.recipientOrganization = loop ? spa : destination.organization();
        referral.recipientService = loop ? null : destination.service();
        referral.status = Status.REQUESTED.code();
        referral.heldFrom = null;
        referral.routingRule = "v" + routing.snapshot().rules().version()
            + (loop ? ":loop-to-single-point-of-access" : ":redirect");
        String recipient = referral.recipientOrganization;
        if (!loop) {
          routing.routed(destination.service());
        }
        Task task = loaded.resource();
        task.setStatus(TaskStatus.REQUESTED);
        task.setStatusReason(new CodeableConcept().setText(loop
            ? "Redirected by " + previous + " to " + destination.organization() + ", which has held it before: sent"
              + " to the single point of access instead"
            : "Redirected by " + previous));
        task.setOwner(References.organization(recipient));
        Reference author = actor.practitionerRole() != null ? new Reference(actor.practitionerRole())
            : References.organization(actor.organization() == null ? previous : actor.organization());
        task.addNote(new Annotation(new org.hl7.fhir.r4.model.MarkdownType(handover))
            .setAuthor(author).setTime(Date.from(now.toInstant())));
        HistoryEntry entry = entry(referral, HistoryEntry.REDIRECT, from.code(), actor, now);
        entry.fromRecipient = previous;
        entry.reason = handover;
        entry.loopDetected = loop;
        entry.seq = history.size() + 1;
        // the new receiver has its own time to respond, under the defaults (no rule routed it there)
        return save(loaded, task, now, entry)
            .chain(() -> deadlines.start(referral.id, Deadlines.RESPONSE, now.toInstant(), referral.routingRule,
                referral.priority))
            .chain(() -> events.redirected(referral, taskId, previous, loop, actor))
            .replaceWith(loaded);
      });
    });
  }

  /**
   * Accepting (or starting, or finishing) meets the response clock; first contact (in progress) or completion meets
   * the follow-up clock; a referral closed without a service stops both.
   */
  private Uni<Void> stopClocks(String referralId, Status to, java.time.Instant at) {
    List<String> met = switch (to) {
      case ACCEPTED -> List.of(Deadlines.RESPONSE);
      case IN_PROGRESS, COMPLETED, REJECTED, CANCELLED -> List.of(Deadlines.RESPONSE, Deadlines.FOLLOW_UP);
      default -> List.of();
    };
    return met.isEmpty() ? Uni.createFrom().voidItem() : deadlines.stop(referralId, met, at);
  }

  /**
   * Records the discharge of the person from hospital (the referrer's move): the follow-up clock starts again from
   * the actual discharge.
   */
  @WithTransaction
  public Uni<Loaded> discharged(String taskId, java.time.Instant at, Actor actor) {
    return lockByTask(taskId, actor).chain(loaded -> {
      ReferralEntity referral = loaded.referral();
      if (!isParty(referral, actor, Party.REFERRER)) {
        throw FhirException.forbidden("Only the referring organisation (" + referral.requesterOrganization
            + ") records the discharge");
      }
      if (Status.of(referral.status).terminal()) {
        throw FhirException.conflict("The referral is " + referral.status + "; there is nothing to follow up");
      }
      if (at.isAfter(java.time.Instant.now().plus(java.time.Duration.ofMinutes(5)))) {
        throw FhirException.unprocessable("The discharge is recorded once it has happened: date is in the future");
      }
      OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
      Task task = loaded.resource();
      task.addNote(new Annotation(new org.hl7.fhir.r4.model.MarkdownType("Discharged from hospital at " + at))
          .setTime(Date.from(now.toInstant())));
      HistoryEntry entry = entry(referral, HistoryEntry.DISCHARGE, referral.status, actor, now);
      entry.fromRecipient = referral.recipientOrganization;
      entry.reason = "Discharged at " + at;
      return save(loaded, task, now, entry)
          .chain(() -> deadlines.start(referral.id, Deadlines.FOLLOW_UP, at, referral.routingRule, referral.priority))
          .replaceWith(loaded);
    });
  }

  /** Where a redirect sends a referral: an organisation, and the team when one was named. */
  record Destination(String organization, String service) {}

  /**
   * A redirect's destination: a team of the directory ({@code HealthcareService/{id}}), an organisation code, or the
   * single point of access by name; anything else is a 422 naming the choices.
   */
  Destination destination(String target) {
    if (target == null || target.isBlank()) {
      throw FhirException.unprocessable("A redirect needs a target: HealthcareService/{id}, an organisation code or '"
          + SINGLE_POINT_OF_ACCESS + "'");
    }
    String value = target.trim();
    if (value.equals(SINGLE_POINT_OF_ACCESS)) {
      return new Destination(routing.singlePointOfAccess(), null);
    }
    if (value.startsWith("HealthcareService/")) {
      Team team = routing.team(value.substring("HealthcareService/".length()));
      if (team == null || !team.active()) {
        throw FhirException.unprocessable("Unknown service '" + value + "': no active team of the directory has"
            + " this id");
      }
      return new Destination(team.organization(), team.id());
    }
    if (value.startsWith("Organization/") || value.indexOf('|') >= 0) {
      value = value.substring(Math.max(value.indexOf('/'), value.indexOf('|')) + 1);
    }
    java.util.SortedSet<String> known = routing.organizations();
    if (!known.contains(value)) {
      throw FhirException.unprocessable("Unknown service '" + target + "': redirect to a HealthcareService of the"
          + " directory, to one of " + known + ", or to '" + SINGLE_POINT_OF_ACCESS + "'");
    }
    return new Destination(value, null);
  }

  private Uni<Void> save(Loaded loaded, Task task, OffsetDateTime now, HistoryEntry entry) {
    ReferralEntity referral = loaded.referral();
    TaskEntity taskEntity = loaded.task();
    Date at = Date.from(now.toInstant());
    taskEntity.version = taskEntity.version + 1;
    task.getMeta().setVersionId(String.valueOf(taskEntity.version)).setLastUpdated(at);
    task.setLastModified(at);
    taskEntity.status = referral.status;
    taskEntity.resource = Fhir.encode(task);
    taskEntity.updatedAt = now;
    ServiceRequest request = Fhir.parse(ServiceRequest.class, referral.serviceRequest);
    ServiceRequestStatus status = switch (Status.of(referral.status)) {
      case COMPLETED -> ServiceRequestStatus.COMPLETED;
      case CANCELLED, REJECTED -> ServiceRequestStatus.REVOKED;
      case ON_HOLD -> ServiceRequestStatus.ONHOLD;
      default -> ServiceRequestStatus.ACTIVE;
    };
    String performer = References.organizationCode(request.getPerformerFirstRep());
    if (request.getStatus() != status || !referral.recipientOrganization.equals(performer)
        || HistoryEntry.REDIRECT.equals(entry.kind)) {
      request.setStatus(status);
      performers(request, referral.recipientOrganization, referral.recipientService,
          routing.team(referral.recipientService));
      referral.version = referral.version + 1;
      request.getMeta().setVersionId(String.valueOf(referral.version)).setLastUpdated(at);
      referral.serviceRequest = Fhir.encode(request);
    }
    referral.updatedAt = now;
    Uni<Integer> seq = entry.seq > 0 ? Uni.createFrom().item(entry.seq)
        : HistoryEntry.count("referralId", referral.id).map(n -> (int) (n + 1));
    return seq.chain(n -> {
      entry.seq = n;
      return entry.persist();
    }).replaceWithVoid();
  }

  /** Who is asked to act: the receiving organisation, and the team (HealthcareService) when routing picked one. */
  static void performers(ServiceRequest request, String organization, String serviceId, Team team) {
    request.getPerformer().clear();
    request.addPerformer(References.organization(organization));
    if (serviceId != null) {
      request.addPerformer(new Reference("HealthcareService/" + serviceId).setDisplay(team == null ? null : team.name()));
    }
  }

  private static HistoryEntry entry(ReferralEntity referral, String kind, String fromStatus, Actor actor,
      OffsetDateTime now) {
    HistoryEntry entry = new HistoryEntry();
    entry.referralId = referral.id;
    entry.kind = kind;
    entry.fromStatus = fromStatus;
    entry.toStatus = referral.status;
    entry.toRecipient = referral.recipientOrganization;
    entry.toService = referral.recipientService;
    entry.byUser = actor.username();
    entry.byOrganization = actor.organization();
    entry.at = now;
    return entry;
  }

  static boolean isParty(ReferralEntity referral, Actor actor, Party party) {
    return actor.isService() || (actor.organization() != null && actor.organization().equals(
        party == Party.RECEIVER ? referral.recipientOrganization : referral.requesterOrganization));
  }

  /** Where an on-hold referral returns to, or null. */
  private static Status heldFrom(ReferralEntity referral) {
    return referral.heldFrom == null ? null : Status.of(referral.heldFrom);
  }

  boolean atSinglePointOfAccess(ReferralEntity referral) {
    return routing.singlePointOfAccess().equals(referral.recipientOrganization);
  }

  /** Free text from the caller, trimmed; required ones must be given, and none may be longer than the limit. */
  static String text(String value, String name, boolean required) {
    String text = value == null ? null : value.strip();
    if (text == null || text.isEmpty()) {
      if (required) {
        throw FhirException.unprocessable("This move needs a " + name);
      }
      return null;
    }
    if (text.length() > MAX_TEXT) {
      throw FhirException.unprocessable("The " + name + " is longer than " + MAX_TEXT + " characters");
    }
    return text;
  }
}
