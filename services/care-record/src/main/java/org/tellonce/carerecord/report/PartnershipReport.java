package org.tellonce.carerecord.report;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.tellonce.platform.report.ReportPeriod;
import org.tellonce.platform.security.Roles;

/**
 * The shared record's part of the partnership report: MDT actions (Tasks) by the organisation that recorded them, over
 * whole days (Europe/London) from {@code from} to {@code to} inclusive — how many were set, how many completed (the
 * first version that says completed), how many of those by their due date ({@code restriction.period.end}), and how
 * many were still open at the end of the period. Counts only: no person, no action.
 */
@Path("/reports/partnership")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.ADMIN, Roles.PRIVACY_OFFICER, Roles.SERVICE})
public class PartnershipReport {

  static final String SQL = """
      with actions as (
        select coalesce(r.source_org, 'unknown') as organization, r.created_at,
          (select min(v.recorded_at) from record_version v where v.resource_type = 'Task' and v.id = r.id
             and v.resource::jsonb ->> 'status' = 'completed') as completed_at,
          (select min(d.high) from record_index d where d.resource_type = 'Task' and d.id = r.id and d.param = 'due')
            as due
        from record_resource r where r.resource_type = 'Task' and not r.deleted)
      select json_object_agg(organization, json_build_object('set', set, 'completed', completed,
               'completedByDueDate', on_time, 'openAtEnd', still_open)) as actions
      from (select organization,
              count(*) filter (where created_at >= $1 and created_at < $2) as set,
              count(*) filter (where completed_at >= $1 and completed_at < $2) as completed,
              count(*) filter (where completed_at >= $1 and completed_at < $2 and (due is null or completed_at <= due))
                as on_time,
              count(*) filter (where created_at < $2 and (completed_at is null or completed_at >= $2)) as still_open
            from actions group by organization) counted
      """;

  @Inject Pool pool;

  @GET
  public Uni<Map<String, Object>> report(@QueryParam("from") String from, @QueryParam("to") String to) {
    ReportPeriod period = ReportPeriod.of(from, to);
    return period.row(pool, SQL).map(row -> {
      Map<String, Object> report = period.describe();
      report.put("mdtActionsByOrganization", ReportPeriod.counts(row, "actions"));
      return report;
    });
  }
}
