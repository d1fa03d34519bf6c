package org.tellonce.identity.merge;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.List;
import org.hl7.fhir.r4.model.Reference;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.References;
import org.tellonce.platform.security.Roles;

/** The audit trail of merges: every merge and unmerge a record took part in, with who, why and when. */
@Path("/merges")
@Produces(MediaType.APPLICATION_JSON)
public class MergeResource {

  public record MergeView(String id, String source, String target, String reason, String mergedBy, String mergedByOrg,
      OffsetDateTime mergedAt, String unmergedBy, OffsetDateTime unmergedAt, String unmergeReason) {
    static MergeView of(PersonMerge m) {
      return new MergeView(m.id, "Patient/" + m.sourceId, "Patient/" + m.targetId, m.reason, m.mergedBy,
          m.mergedByOrg, m.mergedAt, m.unmergedBy, m.unmergedAt, m.unmergeReason);
    }
  }

  @GET
  @WithSession
  @RolesAllowed({Roles.PRIVACY_OFFICER, Roles.ADMIN})
  public Uni<List<MergeView>> forPerson(@QueryParam("patient") String patient) {
    if (patient == null) {
      throw FhirException.badRequest("Give patient=Patient/{id}");
    }
    String id = References.patientId(new Reference(patient.contains("/") ? patient : "Patient/" + patient), "patient");
    return PersonMerge.<PersonMerge>find("sourceId = ?1 or targetId = ?1 order by mergedAt", id).list()
        .map(found -> found.stream().map(MergeView::of).toList());
  }
}
