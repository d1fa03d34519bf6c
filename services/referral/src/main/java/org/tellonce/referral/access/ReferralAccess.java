package org.tellonce.referral.access;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.jboss.logging.Logger;
import org.tellonce.platform.decision.DecisionRequest;
import org.tellonce.platform.decision.DecisionResponse;
import org.tellonce.platform.decision.Obligations;
import org.tellonce.platform.decision.Purposes;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.References;
import org.tellonce.platform.outbox.Outbox;
import org.tellonce.platform.security.Actor;
import org.tellonce.referral.ReferralTopics;
import org.tellonce.referral.referral.ReferralEntity;
import org.tellonce.referral.referral.ReferralEvents;
import org.tellonce.referral.referral.TaskRepository;

/**
 * What the receiving organisation may see of a referral. The referral itself always reaches it (who, what kind,
 * how urgent, from whom: the minimal referral); its clinical content (what is asked in words, the reasons, the
 * supporting information, notes and handover notes) only when the consent service permits it for direct care, the
 * active referral being the receiver's legitimate relationship. When the person's consent or a sensitivity rule is
 * why not, the referrer gets a Task to obtain consent. When the consent service cannot answer, the minimal referral
 * (fail closed). Every disclosure to the receiver is audited on audit.v1. The referrer (and tellonce's services)
 * see everything they sent.
 */
@ApplicationScoped
public class ReferralAccess {

  private static final Logger LOG = Logger.getLogger(ReferralAccess.class);

  /** The kind of the referrer's Task that asks for the person's consent. */
  public static final String OBTAIN_CONSENT = "obtain-consent";
  static final String SHARED = "org.tellonce.referral.shared.v1";
  static final String AUDIT = "audit.v1";
  static final String UNAVAILABLE = "consent-unavailable";

  /**
   * The obligations of a permit this enforcement point carries out: the audit, the notice to the privacy officer,
   * and withholding the person's contact details (a referral holds none). Any other (withholding named elements of
   * the text) shows the minimal referral, as a denial would.
   */
  static final Set<String> UNDERSTOOD = Set.of(Obligations.AUDIT, Obligations.NOTIFY_PRIVACY_OFFICER,
      Obligations.REDACT_CONTACT_DETAILS);
  static final String NOT_CARRIED_OUT = "policy/obligation-not-carried-out";

  /**
   * How much of a referral the caller sees, the decision's source (Consent/…, policy/…, referrer), and who is to be
   * told of the disclosure ({@code notify:} obligations).
   */
  public record Shown(boolean full, String because, Set<String> notified) {
    Shown(boolean full, String because) {
      this(full, because, Set.of());
    }
  }

  @RestClient ConsentClient consent;
  @Inject Outbox outbox;
  @Inject ReferralEvents events;
  @Inject TaskRepository tasks;

  /** Decides, audits, and asks the referrer for consent where that is what is missing. Call within a transaction. */
  public Uni<Shown> decide(ReferralEntity referral, Actor actor) {
    if (actor.isService() || referral.requesterOrganization.equals(actor.organization())) {
      return Uni.createFrom().item(new Shown(true, "referrer"));
    }
    ServiceRequest request = Fhir.parse(ServiceRequest.class, referral.serviceRequest);
    List<String> labels = request.getMeta().getSecurity().stream().map(Coding::getCode).filter(c -> c != null)
        .toList();
    DecisionRequest question = new DecisionRequest(referral.personId, Purposes.TREAT,
        new DecisionRequest.RequestActor(actor.organization(), actor.username(), new ArrayList<>(actor.roles())),
        List.of(new DecisionRequest.DataItem(referral.id, "ServiceRequest", labels)));
    return consent.decide(question)
        .ifNoItem().after(Duration.ofSeconds(5)).fail()
        .map(answer -> {
          DecisionResponse.ItemDecision decision = answer.decisions().stream()
              .filter(d -> referral.id.equals(d.id())).findFirst().orElse(null);
          if (decision == null) {
            return new Shown(false, UNAVAILABLE);
          }
          String source = decision.reasons().isEmpty() ? "policy" : decision.reasons().get(0).source();
          if (decision.permitted() && decision.obligations() != null
              && !UNDERSTOOD.containsAll(decision.obligations())) {
            return new Shown(false, NOT_CARRIED_OUT);
          }
          return new Shown(decision.permitted(), source,
              decision.permitted() ? Obligations.notified(decision.obligations()) : Set.of());
        })
        .onFailure().recoverWithItem(e -> {
          LOG.warnf("The consent service did not answer for a referral; the minimal referral is shown: %s",
              e.getClass().getSimpleName());
          return new Shown(false, UNAVAILABLE);
        })
        .call(shown -> audit(referral, actor, shown))
        .call(shown -> shown.full() && shown.notified().contains(ReferralEvents.Audience.PRIVACY_OFFICER.code())
            ? events.disclosureNoticed(referral, shown.because()) : Uni.createFrom().voidItem())
        .call(shown -> shown.full() ? consentObtained(referral)
            : consentIsWhatIsMissing(shown.because()) ? obtainConsent(referral) : Uni.createFrom().voidItem());
  }

  /** The receiver may now see the referral: the referrer's obtain-consent Task, if open, is done. */
  private Uni<Void> consentObtained(ReferralEntity referral) {
    return tasks.find("referralId = ?1 and kind = ?2 and status <> 'completed'", referral.id, OBTAIN_CONSENT)
        .firstResult().chain(open -> {
          if (open == null) {
            return Uni.createFrom().voidItem();
          }
          Task task = Fhir.parse(Task.class, open.resource);
          Date now = new Date();
          open.version = open.version + 1;
          open.status = "completed";
          task.setStatus(Task.TaskStatus.COMPLETED);
          task.setLastModified(now);
          task.getMeta().setVersionId(String.valueOf(open.version)).setLastUpdated(now);
          open.resource = Fhir.encode(task);
          open.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
          return tasks.persist(open).replaceWithVoid();
        });
  }

  /** The person's refusal or objection, or data that needs their explicit consent: the referrer can ask them. */
  static boolean consentIsWhatIsMissing(String source) {
    return source.startsWith("Consent/") || source.equals("policy/explicit-consent-required")
        || source.equals("policy/restricted-label");
  }

  private Uni<Void> audit(ReferralEntity referral, Actor actor, Shown shown) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("referralId", referral.id);
    data.put("personId", referral.personId);
    data.put("user", actor.username());
    data.put("organization", actor.organization());
    data.put("view", shown.full() ? "full" : "minimal");
    data.put("because", shown.because());
    data.put("recorded", OffsetDateTime.now(ZoneOffset.UTC).toString());
    return outbox.publish(AUDIT, referral.personId, SHARED, referral.personId, data).replaceWithVoid();
  }

  /** The referrer's Task to obtain consent, once per referral, and a notification to the referrer. */
  private Uni<Void> obtainConsent(ReferralEntity referral) {
    Date now = new Date();
    Task task = new Task();
    String id = UUID.randomUUID().toString();
    task.setId(id);
    task.getMeta().setVersionId("1").setLastUpdated(now);
    task.setStatus(Task.TaskStatus.REQUESTED);
    task.setIntent(Task.TaskIntent.ORDER);
    task.setCode(new CodeableConcept(new Coding("https://fhir.tellonce.org/CodeSystem/referral-task", OBTAIN_CONSENT,
        "Obtain consent to share the referral")));
    task.setDescription("The referral's clinical content is not shared with " + referral.recipientOrganization
        + ": ask the person whether it may be (or record the decision made for them), with the consent service.");
    task.setFocus(new Reference("ServiceRequest/" + referral.id));
    task.setFor(new Reference("Patient/" + referral.personId));
    task.setAuthoredOn(now);
    task.setLastModified(now);
    task.setOwner(References.organization(referral.requesterOrganization));
    task.setRequester(References.organization(referral.recipientOrganization));
    return Panache.getSession().chain(session -> session.createNativeQuery("""
            insert into referral_task (id, referral_id, kind, status, version, resource, updated_at)
            values (:id, :referral, :kind, 'requested', 1, :resource, now())
            on conflict (referral_id, kind) where kind <> 'workflow' do nothing""")
        .setParameter("id", id)
        .setParameter("referral", referral.id)
        .setParameter("kind", OBTAIN_CONSENT)
        .setParameter("resource", Fhir.encode(task))
        .executeUpdate())
        .chain(inserted -> inserted == 0 ? Uni.createFrom().voidItem()
            : events.consentNeeded(referral, id));
  }

  /** The minimal referral: what the receiver needs to act on it, without its clinical content. */
  public static ServiceRequest minimal(ServiceRequest full) {
    ServiceRequest request = full.copy();
    request.setCode(null);
    request.getReasonCode().clear();
    request.getReasonReference().clear();
    request.getSupportingInfo().clear();
    request.getNote().clear();
    request.getOrderDetail().clear();
    request.getBodySite().clear();
    request.getRelevantHistory().clear();
    request.setPatientInstruction(null);
    request.addNote().setText("Clinical content withheld: it is shared once the person's consent allows; the referrer"
        + " has been asked to obtain it where that is what is missing.");
    request.getMeta().addSecurity(Obligations.redactedLabel());
    return request;
  }

  /** The workflow Task as the receiver sees it without the clinical content: no notes or handover notes. */
  public static Task minimal(Task full) {
    Task task = full.copy();
    task.getNote().clear();
    task.getMeta().addSecurity(Obligations.redactedLabel());
    return task;
  }
}
