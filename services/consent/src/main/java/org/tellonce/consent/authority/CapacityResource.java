package org.tellonce.consent.authority;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.hl7.fhir.r4.model.Reference;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.References;
import org.tellonce.platform.security.CurrentActor;
import org.tellonce.platform.security.Roles;

/**
 * Capacity assessments for decisions about sharing a person's information: recorded by the practitioners who make
 * them (a clinician or social worker), read by them and by privacy officers.
 */
@Path("/capacity-assessments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.CLINICIAN, Roles.SENIOR_CLINICIAN, Roles.SOCIAL_WORKER, Roles.PRIVACY_OFFICER})
public class CapacityResource {

  static final String OUTCOME_HAS = "has-capacity";
  static final String OUTCOME_LACKS = "lacks-capacity";
  static final int MAX_NOTE = 2000;

  @Inject CapacityService capacity;
  @Inject CurrentActor actor;

  /**
   * {@code decision} is {@value Authority#INFORMATION_SHARING} (the default); {@code outcome} has-capacity (for a child
   * under 16: competent, Gillick) or lacks-capacity; {@code assessed} the day; {@code assessment} a reference to the
   * record of the assessment.
   */
  public record AssessmentRequest(String person, String decision, String outcome, String assessed, String assessment,
      String note) {}

  public record AssessmentView(String id, String person, String decision, String outcome, LocalDate assessed,
      String assessment, String note, String recordedBy, String organization, OffsetDateTime recorded) {
    static AssessmentView of(CapacityAssessment a) {
      return new AssessmentView(a.id, "Patient/" + a.personId, a.decision,
          a.hasCapacity ? OUTCOME_HAS : OUTCOME_LACKS, a.assessedOn, a.assessment, a.note, a.recordedBy,
          a.recordedByOrg, a.recordedAt);
    }
  }

  @POST
  @RolesAllowed({Roles.CLINICIAN, Roles.SENIOR_CLINICIAN, Roles.SOCIAL_WORKER})
  public Uni<Response> record(AssessmentRequest request) {
    if (request == null || request.person() == null) {
      throw FhirException.badRequest("Give {\"person\": \"Patient/{id}\", \"outcome\": \"has-capacity\" |"
          + " \"lacks-capacity\", \"assessed\": \"YYYY-MM-DD\", \"assessment\": \"DocumentReference/{id}\"}");
    }
    String personId = References.patientId(new Reference(request.person()), "person");
    if (request.decision() != null && !Authority.INFORMATION_SHARING.equals(request.decision())) {
      throw FhirException.unprocessable("decision must be " + Authority.INFORMATION_SHARING
          + ": tellonce records capacity for decisions about sharing the person's information");
    }
    if (!OUTCOME_HAS.equals(request.outcome()) && !OUTCOME_LACKS.equals(request.outcome())) {
      throw FhirException.unprocessable("outcome must be " + OUTCOME_HAS + " or " + OUTCOME_LACKS);
    }
    LocalDate assessed;
    try {
      assessed = LocalDate.parse(request.assessed() == null ? "" : request.assessed());
    } catch (DateTimeParseException e) {
      throw FhirException.unprocessable("assessed must be the day of the assessment (YYYY-MM-DD)");
    }
    if (request.assessment() == null || !request.assessment().matches("[A-Z][A-Za-z]+/[A-Za-z0-9\\-.]{1,64}")) {
      throw FhirException.unprocessable("assessment must reference the record of the assessment, for example"
          + " DocumentReference/{id}");
    }
    if (request.note() != null && request.note().length() > MAX_NOTE) {
      throw FhirException.unprocessable("note is at most " + MAX_NOTE + " characters");
    }
    actor.requireOrganization();
    return capacity.record(personId, OUTCOME_HAS.equals(request.outcome()), assessed, request.assessment(),
            request.note(), actor.get())
        .map(saved -> Response.created(URI.create("capacity-assessments?patient=Patient/" + personId))
            .entity(AssessmentView.of(saved)).build());
  }

  @GET
  public Uni<List<AssessmentView>> search(@QueryParam("patient") String patient) {
    if (patient == null) {
      throw FhirException.badRequest("Search capacity assessments by patient: ?patient=Patient/{id}");
    }
    return capacity.forPerson(References.personIdParameter(patient, "patient"))
        .map(list -> list.stream().map(AssessmentView::of).toList());
  }
}
