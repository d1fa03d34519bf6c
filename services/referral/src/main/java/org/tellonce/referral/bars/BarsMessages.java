package org.tellonce.referral.bars;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.outbox.Outbox;
import org.tellonce.platform.persistence.SessionSql;
import org.tellonce.platform.person.NhsNumber;
import org.tellonce.platform.security.Actor;
import org.tellonce.referral.ReferralTopics;
import org.tellonce.referral.referral.ReferralService;

/**
 * Referrals from NHS systems that speak the Booking and Referral Standard: a message Bundle (MessageHeader with the
 * {@code servicerequest-request} event, its focus ServiceRequest, the Patient and supporting resources) becomes a
 * referral in the same workflow as every other. The sender's {@code X-Request-ID} makes a retry answer the referral
 * the first attempt made. The answer is BaRS's: an acknowledgement now, and the {@code servicerequest-response}
 * message (its MessageHeader answering the request's, with the Task) afterwards, through the outbox for the BaRS
 * gateway to deliver to the sender's endpoint.
 */
@ApplicationScoped
public class BarsMessages {

  public static final String EVENTS = "https://fhir.nhs.uk/CodeSystem/message-events-bars";
  public static final String REQUEST = "servicerequest-request";
  public static final String RESPONSE = "servicerequest-response";
  static final String RESPONSE_TYPE = "org.tellonce.referral.bars-response.v1";

  @Inject ReferralService referrals;
  @Inject Outbox outbox;

  /** What came of a message: the referral and its Task, and whether this was a retry of one already taken. */
  public record Taken(String referralId, String taskId, boolean retry) {}

  /** The parts of a BaRS request message this service uses. */
  record Parsed(MessageHeader header, ServiceRequest serviceRequest, Patient patient) {}

  /** The referral an earlier message with this request id made, or null. */
  @WithSession
  public Uni<Taken> earlier(String requestId, String organization) {
    return BarsMessageEntity.<BarsMessageEntity>findById(requestId).map(found -> {
      if (found == null) {
        return null;
      }
      if (!found.requesterOrganization.equals(organization)) {
        throw FhirException.conflict("X-Request-ID " + requestId + " was used by another sender: give each message"
            + " its own id");
      }
      return new Taken(found.referralId, found.taskId, true);
    });
  }

  @WithTransaction
  public Uni<Taken> take(Bundle message, String requestId, String correlationId, Actor actor, String organization) {
    Parsed parsed = parse(message);
    return person(parsed).chain(personId -> {
      ServiceRequest request = parsed.serviceRequest().copy();
      request.setSubject(new Reference("Patient/" + personId));
      // references into the message cannot be followed once it is taken apart: kept as their display only
      request.getSupportingInfo().replaceAll(reference -> internal(reference)
          ? new Reference().setDisplay(reference.hasDisplay() ? reference.getDisplay() : "in the BaRS message")
          : reference);
      return referrals.create(request, actor, organization).chain(created -> {
        BarsMessageEntity taken = new BarsMessageEntity();
        taken.requestId = requestId;
        taken.requesterOrganization = organization;
        taken.messageHeaderId = parsed.header().getIdPart();
        taken.referralId = created.serviceRequest().getIdPart();
        taken.taskId = created.task().getIdPart();
        taken.receivedAt = OffsetDateTime.now(ZoneOffset.UTC);
        return taken.<BarsMessageEntity>persist()
            .call(() -> Panache.getSession().chain(session -> session.flush()))
            .chain(() -> respond(parsed.header(), created.task(), requestId, correlationId, organization,
                created.serviceRequest().getSubject().getReference().substring("Patient/".length())))
            .replaceWith(new Taken(taken.referralId, taken.taskId, false));
      });
    });
  }

  /** The servicerequest-response message, published for the gateway that delivers it to the sender. */
  private Uni<Void> respond(MessageHeader request, Task task, String requestId, String correlationId,
      String organization, String personId) {
    Bundle response = new Bundle().setType(Bundle.BundleType.MESSAGE);
    response.setId(UUID.randomUUID().toString());
    response.setTimestamp(new Date());
    MessageHeader header = new MessageHeader();
    header.setId(UUID.randomUUID().toString());
    header.setEvent(new Coding(EVENTS, RESPONSE, "ServiceRequest response"));
    header.getSource().setName("tellonce referral").setEndpoint("urn:tellonce:referral");
    if (request.getSource().hasEndpoint()) {
      header.addDestination().setEndpoint(request.getSource().getEndpoint());
    }
    header.getResponse().setIdentifier(request.getIdPart()).setCode(MessageHeader.ResponseType.OK);
    header.addFocus(new Reference("Task/" + task.getIdPart()));
    response.addEntry().setFullUrl("urn:uuid:" + header.getIdPart()).setResource(header);
    response.addEntry().setFullUrl("urn:uuid:" + task.getIdPart()).setResource(task);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("requestId", requestId);
    if (correlationId != null) {
      data.put("correlationId", correlationId);
    }
    data.put("personId", personId);
    data.put("requesterOrganization", organization);
    if (request.getSource().hasEndpoint()) {
      data.put("endpoint", request.getSource().getEndpoint());
    }
    data.put("message", Fhir.encode(response));
    return outbox.publish(ReferralTopics.NOTIFICATION, personId, RESPONSE_TYPE, personId, data).replaceWithVoid();
  }

  /** Reads a request message: a message Bundle whose first entry is a MessageHeader asking for a ServiceRequest. */
  static Parsed parse(Bundle message) {
    if (message == null || message.getType() != Bundle.BundleType.MESSAGE) {
      throw FhirException.badRequest("$process-message takes a Bundle of type message");
    }
    if (message.getEntry().isEmpty() || !(message.getEntryFirstRep().getResource() instanceof MessageHeader header)) {
      throw FhirException.badRequest("The first entry of a message Bundle is its MessageHeader");
    }
    if (!header.hasEventCoding() || !EVENTS.equals(header.getEventCoding().getSystem())
        || !REQUEST.equals(header.getEventCoding().getCode())) {
      throw FhirException.unprocessable("This receiver takes BaRS referrals: MessageHeader.eventCoding " + EVENTS + "|"
          + REQUEST);
    }
    if (header.getFocus().size() != 1) {
      throw FhirException.unprocessable("MessageHeader.focus names the one ServiceRequest the message is about");
    }
    Resource focus = resolve(message, header.getFocusFirstRep());
    if (!(focus instanceof ServiceRequest request)) {
      throw FhirException.unprocessable("MessageHeader.focus must resolve to a ServiceRequest in the message");
    }
    Patient patient = null;
    String subject = request.getSubject().getReference();
    if (subject != null && !subject.matches("Patient/[A-Za-z0-9\\-.]{1,64}")) {
      Resource named = resolve(message, request.getSubject());
      if (!(named instanceof Patient found)) {
        throw FhirException.unprocessable("ServiceRequest.subject must resolve to the Patient in the message");
      }
      patient = found;
    }
    return new Parsed(header, request, patient);
  }

  /** The entry a reference names, by fullUrl or by type and id. */
  static Resource resolve(Bundle message, Reference reference) {
    String target = reference.getReference();
    if (target == null) {
      return null;
    }
    for (BundleEntryComponent entry : message.getEntry()) {
      Resource resource = entry.getResource();
      if (resource == null) {
        continue;
      }
      if (target.equals(entry.getFullUrl())
          || (resource.getIdElement().hasIdPart()
              && target.equals(resource.fhirType() + "/" + resource.getIdElement().getIdPart()))) {
        return resource;
      }
    }
    return null;
  }

  private static boolean internal(Reference reference) {
    return reference.getReference() != null && reference.getReference().startsWith("urn:uuid:");
  }

  /** The tellonce person: named directly, or found by the NHS number of the message's Patient. */
  static Uni<String> person(Parsed parsed) {
    if (parsed.patient() == null) {
      String subject = parsed.serviceRequest().getSubject().getReference();
      if (subject == null) {
        throw FhirException.unprocessable("ServiceRequest.subject must name the person");
      }
      return Uni.createFrom().item(subject.substring("Patient/".length()));
    }
    List<String> numbers = parsed.patient().getIdentifier().stream()
        .filter(i -> NhsNumber.SYSTEM.equals(i.getSystem())).map(i -> i.getValue()).toList();
    if (numbers.size() != 1 || !NhsNumber.isValid(numbers.get(0))) {
      throw FhirException.unprocessable("The message's Patient needs one valid NHS number (system " + NhsNumber.SYSTEM
          + ")");
    }
    return Panache.getSession().chain(session -> SessionSql.<String>column(session,
            "select person_id from person where nhs_number = $1 and merged_into is null", numbers.get(0)))
        .map(found -> {
          if (found.size() != 1) {
            throw FhirException.unprocessable("No one with this NHS number is in the tellonce person index: register"
                + " the person with identity first, then send the message again with the same X-Request-ID");
          }
          return found.get(0);
        });
  }
}
