package org.tellonce.identity.directory;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.jboss.logging.Logger;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.References;
import org.tellonce.platform.fhir.SearchParameters;

/**
 * Puts Keycloak back in step with the directory every 15 minutes, whatever happened in between (a write whose
 * database commit failed after Keycloak was updated, an administrator editing attributes by hand): every active
 * PractitionerRole's account carries its org and practitioner_role, and no account points at a role that is not
 * active any more.
 */
@ApplicationScoped
public class StaffAccountReconciler {

  private static final Logger LOG = Logger.getLogger(StaffAccountReconciler.class);

  @Inject Pool pool;
  @Inject StaffAccounts accounts;

  /** What one pass did: accounts put in step with an active role, and retired roles whose links were checked. */
  public record Pass(int linked, int retiredChecked) {}

  @Scheduled(every = "15m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> scheduled() {
    return reconcile()
        .invoke(pass -> LOG.infof("Staff accounts reconciled: %d in step with an active role, %d retired roles checked",
            pass.linked(), pass.retiredChecked()))
        .onFailure().invoke(e -> LOG.warnf("Staff account reconciliation did not complete: %s", e.getMessage()))
        .onFailure().recoverWithNull()
        .replaceWithVoid();
  }

  public Uni<Pass> reconcile() {
    return pool.preparedQuery("""
            select r.id, r.active, r.resource from directory_resource r
            where r.resource_type = 'PractitionerRole' and exists (
              select 1 from directory_token t where t.resource_type = r.resource_type and t.id = r.id
              and t.param in ('identifier', 'identifier@inactive') and t.value like $1)""")
        .execute(Tuple.of(SearchParameters.escapeLike(DirectoryCodes.KEYCLOAK_USERNAME + "|") + "%"))
        .chain(rows -> {
          Map<String, PractitionerRole> active = new HashMap<>();
          Map<String, String> retired = new HashMap<>();
          for (Row row : rows) {
            PractitionerRole role = Fhir.parse(PractitionerRole.class, row.getString("resource"));
            String username = PractitionerRoleKind.username(role);
            if (row.getBoolean("active")) {
              active.put(row.getString("id"), role);
            } else if (username != null) {
              retired.put(row.getString("id"), username);
            }
          }
          List<Uni<Integer>> steps = new java.util.ArrayList<>();
          active.forEach((id, role) -> steps.add(accounts.link(PractitionerRoleKind.username(role),
              References.organizationCode(role.getOrganization()), "PractitionerRole/" + id).replaceWith(1)));
          retired.forEach((id, username) -> steps.add(accounts.unlink(username, "PractitionerRole/" + id)
              .replaceWith(0)));
          return Multi.createFrom().iterable(steps)
              .onItem().transformToUniAndConcatenate(step -> step.onFailure().recoverWithItem(-1))
              .collect().asList()
              .map(results -> new Pass((int) results.stream().filter(r -> r == 1).count(),
                  retired.size()));
        });
  }
}
