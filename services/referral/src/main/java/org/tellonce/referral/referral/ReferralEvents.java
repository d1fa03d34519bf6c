package org.tellonce.referral.referral;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tellonce.platform.outbox.Outbox;
import org.tellonce.platform.security.Actor;
import org.tellonce.referral.ReferralTopics;
import org.tellonce.referral.careteam.CareTeamListener;

/**
 * The events of a referral, each carrying its current state (so a consumer such as the consent service can derive
 * the receiver's relationship from any of them), and the notifications that tell people about a move. Free text
 * (reasons, handover notes) stays in the referral service: events name who and what, never why in words.
 */
@ApplicationScoped
public class ReferralEvents {

  /** Who a notification is for. */
  public enum Audience {
    RECEIVER("receiver"), REFERRER("referrer"), CARE_COORDINATOR("care-coordinator"),
    TEAM_MANAGER("team-manager"), SERVICE_LEAD("service-lead"), ICS_ON_CALL("ics-on-call"),
    /** The privacy officer of the receiving organisation (a disclosure whose decision asked for the notice). */
    PRIVACY_OFFICER(org.tellonce.platform.decision.Obligations.PRIVACY_OFFICER);

    final String code;

    Audience(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  @Inject Outbox outbox;
  @Inject MeterRegistry registry;
  @Inject TaskRepository tasks;

  /** The state every referral.v1 event carries. */
  static Map<String, Object> state(ReferralEntity referral, String taskId) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("referralId", referral.id);
    data.put("taskId", taskId);
    data.put("personId", referral.personId);
    data.put("requesterOrganization", referral.requesterOrganization);
    data.put("recipientOrganization", referral.recipientOrganization);
    if (referral.recipientService != null) {
      data.put("recipientService", referral.recipientService);
    }
    data.put("routingRule", referral.routingRule);
    data.put("priority", referral.priority);
    data.put("status", referral.status);
    return data;
  }

  public Uni<Void> created(ReferralEntity referral, String taskId, List<String> categories, Actor actor) {
    Map<String, Object> data = state(referral, taskId);
    data.put("categories", categories);
    data.put("requestedBy", actor.username());
    registry.counter("tellonce.referral.created", "recipient", referral.recipientOrganization).increment();
    return publish(referral, ReferralTopics.REFERRAL_CREATED, data)
        .chain(() -> notify(referral, taskId, "created", List.of(Audience.RECEIVER)));
  }

  public Uni<Void> statusChanged(ReferralEntity referral, String taskId, String previousStatus, Actor actor) {
    Map<String, Object> data = state(referral, taskId);
    data.put("previousStatus", previousStatus);
    data.put("changedBy", actor.username());
    registry.counter("tellonce.referral.transitions", "status", referral.status).increment();
    List<Audience> told = switch (referral.status) {
      // the referrer withdrew: the receiver stops work
      case "cancelled" -> List.of(Audience.RECEIVER, Audience.CARE_COORDINATOR);
      // closed without a service, or done: the loop is closed with the referrer and the coordinator
      case "rejected", "completed" -> List.of(Audience.REFERRER, Audience.CARE_COORDINATOR);
      default -> List.of(Audience.REFERRER);
    };
    return publish(referral, ReferralTopics.REFERRAL_STATUS_CHANGED, data)
        .chain(() -> notify(referral, taskId, referral.status, told));
  }

  public Uni<Void> redirected(ReferralEntity referral, String taskId, String previousRecipient, boolean loopDetected,
      Actor actor) {
    Map<String, Object> data = state(referral, taskId);
    data.put("previousRecipient", previousRecipient);
    data.put("loopDetected", loopDetected);
    data.put("redirectedBy", actor.username());
    registry.counter("tellonce.referral.redirects", "from", previousRecipient, "to", referral.recipientOrganization,
        "loop", String.valueOf(loopDetected)).increment();
    return publish(referral, ReferralTopics.REFERRAL_REDIRECTED, data)
        .chain(() -> notify(referral, taskId, "redirected",
            List.of(Audience.RECEIVER, Audience.REFERRER, Audience.CARE_COORDINATOR)));
  }

  /**
   * A step of an escalation: the clock, its deadline, which step (1 is the breach itself) and who is told; the
   * receiving organisation's escalation contact of that role is notified.
   */
  public Uni<Void> escalated(ReferralEntity referral, String clock, java.time.OffsetDateTime due, int step,
      String escalatedTo) {
    return tasks(referral).chain(taskId -> {
      Map<String, Object> data = state(referral, taskId);
      data.put("clock", clock);
      data.put("dueAt", due.toInstant().toString());
      data.put("step", step);
      data.put("escalatedTo", escalatedTo);
      Audience audience = switch (escalatedTo) {
        case "team-manager" -> Audience.TEAM_MANAGER;
        case "service-lead" -> Audience.SERVICE_LEAD;
        default -> Audience.ICS_ON_CALL;
      };
      return publish(referral, ReferralTopics.REFERRAL_ESCALATED, data)
          .chain(() -> notify(referral, taskId, "escalated", List.of(audience)));
    });
  }

  /**
   * The receiver was shown the referral's content under a decision that asked for the notice (over the person's
   * overridden objection): its privacy officer is told, with the rule it was shown under as the reason.
   */
  public Uni<Void> disclosureNoticed(ReferralEntity referral, String because) {
    return tasks(referral).chain(taskId -> notify(referral, taskId, "shown: " + because,
        List.of(Audience.PRIVACY_OFFICER)));
  }

  /** The referrer is asked to obtain the person's consent (their Task {@code taskId}). */
  public Uni<Void> consentNeeded(ReferralEntity referral, String taskId) {
    return notify(referral, taskId, "consent-needed", List.of(Audience.REFERRER));
  }

  private Uni<String> tasks(ReferralEntity referral) {
    return tasks.forReferral(referral.id).map(list -> list.get(0).id);
  }

  private Uni<Void> publish(ReferralEntity referral, String type, Map<String, Object> data) {
    return outbox.publish(ReferralTopics.REFERRAL, referral.personId, type, referral.personId, data).replaceWithVoid();
  }

  /** One notification per person or organisation to tell; the care coordinators are read from the care teams. */
  Uni<Void> notify(ReferralEntity referral, String taskId, String reason, List<Audience> audiences) {
    Uni<List<String>> coordinators = audiences.contains(Audience.CARE_COORDINATOR)
        ? CareTeamListener.coordinators(referral.personId) : Uni.createFrom().item(List.of());
    return coordinators.chain(roles -> {
      List<Map<String, Object>> notifications = new ArrayList<>();
      for (Audience audience : audiences) {
        switch (audience) {
          case RECEIVER -> notifications.add(notification(referral, taskId, reason, audience,
              referral.recipientOrganization, null));
          case REFERRER -> notifications.add(notification(referral, taskId, reason, audience,
              referral.requesterOrganization, null));
          case CARE_COORDINATOR -> roles.forEach(role -> notifications.add(notification(referral, taskId, reason,
              audience, null, role)));
          // the receiving organisation's escalation contacts of that role
          default -> notifications.add(notification(referral, taskId, reason, audience,
              referral.recipientOrganization, null));
        }
      }
      Uni<Void> chain = Uni.createFrom().voidItem();
      for (Map<String, Object> notification : notifications) {
        chain = chain.chain(() -> outbox.publish(ReferralTopics.NOTIFICATION, referral.personId,
            ReferralTopics.NOTIFICATION_TYPE, referral.personId, notification).replaceWithVoid());
      }
      return chain;
    });
  }

  private static Map<String, Object> notification(ReferralEntity referral, String taskId, String reason,
      Audience audience, String organization, String practitionerRole) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("referralId", referral.id);
    data.put("taskId", taskId);
    data.put("personId", referral.personId);
    data.put("audience", audience.code);
    if (organization != null) {
      data.put("organization", organization);
    }
    if (practitionerRole != null) {
      data.put("practitionerRole", practitionerRole);
    }
    data.put("reason", reason);
    data.put("status", referral.status);
    data.put("recipientOrganization", referral.recipientOrganization);
    return data;
  }
}
