package org.tellonce.carerecord.record;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.hl7.fhir.r4.model.Patient;
import org.jboss.logging.Logger;
import org.tellonce.carerecord.audit.AuditService;
import org.tellonce.carerecord.audit.AuditService.Access;
import org.tellonce.carerecord.audit.AuditService.Outcome;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.security.Actor;

/**
 * The person's Patient for {@code $everything}, from the person index (identity), read with the caller's own token so
 * that identity's disclosure rules apply as if the caller had asked it; the disclosure is audited here as well.
 */
@ApplicationScoped
public class PersonDemographics {

  private static final Logger LOG = Logger.getLogger(PersonDemographics.class);
  /** Answers that mean the caller gets no Patient from identity: not known, gone, or not for this caller. */
  static final Set<Integer> NOT_FOR_CALLER = Set.of(401, 403, 404, 410);

  /** The Patient to show, or none; {@code problem} says why it is missing when the index could not answer. */
  public record Found(Patient patient, String problem) {
    public static final Found NONE = new Found(null, null);
  }

  @Inject @RestClient PersonIndexClient index;
  @Inject AuditService audit;

  /** The Patient for the first page of {@code $everything} when the caller asked for it (by default, or in _type). */
  public Uni<Found> forEverything(Actor who, Everything request, String purpose, String authorization) {
    if (request.cursor() != null || !request.withPatient() || authorization == null) {
      return Uni.createFrom().item(Found.NONE);
    }
    String personId = request.personId();
    return index.read(personId, authorization)
        .map(json -> {
          Patient patient = Fhir.parse(Patient.class, json);
          boolean changedSince = request.since() == null || patient.getMeta().getLastUpdated() == null
              || !patient.getMeta().getLastUpdated().toInstant().isBefore(request.since());
          return changedSince ? new Found(patient, null) : Found.NONE;
        })
        .call(found -> found.patient() == null ? Uni.createFrom().voidItem()
            : audit.record(new Access(who, personId, "operation", purpose, Outcome.SUCCESS,
                List.of("Patient/" + found.patient().getIdElement().getIdPart()), null)))
        .onFailure(e -> e instanceof WebApplicationException w && NOT_FOR_CALLER.contains(w.getResponse().getStatus()))
        .recoverWithItem(Found.NONE)
        .onFailure().recoverWithItem(e -> {
          LOG.warnf("The person index could not give the Patient for $everything: %s", e.getClass().getSimpleName());
          return new Found(null, "The person's demographics (Patient) could not be fetched from the person index;"
              + " everything else the record holds that you may see is here. Try again shortly for the Patient.");
        });
  }
}
