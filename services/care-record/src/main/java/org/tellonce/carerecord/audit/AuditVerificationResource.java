package org.tellonce.carerecord.audit;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.tellonce.platform.security.Roles;

/**
 * {@code GET /audit/verification}: recomputes every hash of every chain of the audit trail and says whether each is
 * intact, and where the first altered or removed entry is. {@code deploy/verify-audit.sh} runs it.
 */
@Path("/audit/verification")
@RolesAllowed({Roles.PRIVACY_OFFICER, Roles.ADMIN})
public class AuditVerificationResource {

  /** The whole trail: intact when every chain is. */
  public record Verification(boolean intact, long entries, List<AuditService.ChainReport> chains) {}

  @Inject AuditService audit;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Uni<Verification> verify() {
    return audit.verify().map(chains -> new Verification(
        chains.stream().allMatch(AuditService.ChainReport::intact),
        chains.stream().mapToLong(AuditService.ChainReport::entries).sum(),
        chains));
  }
}
