package org.tellonce.referral.report;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tellonce.platform.report.ReportPeriod;
import org.tellonce.platform.security.Roles;

/**
 * The referral part of the partnership report, for commissioners and partnership boards: over whole days (Europe/
 * London) from {@code from} to {@code to} inclusive — referrals made (by receiving organisation), responses timed
 * against their SLAs (on time, late, median and 90th percentile, by clock), SLA breaches and escalation steps,
 * redirects and loops. Counts and times only: no person, no referral.
 */
@Path("/reports/partnership")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.ADMIN, Roles.PRIVACY_OFFICER, Roles.SERVICE})
public class PartnershipReport {

  static final String SQL = """
      select
        (select json_object_agg(recipient_org, n) from (select recipient_org, count(*) as n from referral
           where created_at >= $1 and created_at < $2 group by 1) made) as made,
        (select json_object_agg(kind, json_build_object(
             'onTime', on_time, 'late', late, 'medianHours', median, 'p90Hours', p90)) from (
           select kind, count(*) filter (where met_at <= due_at) as on_time,
             count(*) filter (where met_at > due_at) as late,
             round((percentile_cont(0.5) within group (order by extract(epoch from met_at - started_at))
               / 3600)::numeric, 2) as median,
             round((percentile_cont(0.9) within group (order by extract(epoch from met_at - started_at))
               / 3600)::numeric, 2) as p90
           from referral_deadline where met_at >= $1 and met_at < $2 group by kind) responses) as responses,
        (select json_object_agg(kind, json_build_object('breaches', breaches, 'escalationSteps', steps)) from (
           select kind, count(*) as breaches, coalesce(sum(level), 0) as steps
           from referral_deadline where breached_at >= $1 and breached_at < $2 group by kind) breached) as breaches,
        (select count(*) from referral_history where kind = 'redirect' and at >= $1 and at < $2) as redirects,
        (select count(*) from referral_history where kind = 'redirect' and loop_detected and at >= $1 and at < $2)
          as loops
      """;

  @Inject Pool pool;

  @GET
  public Uni<Map<String, Object>> report(@QueryParam("from") String from, @QueryParam("to") String to) {
    ReportPeriod period = ReportPeriod.of(from, to);
    return period.row(pool, SQL).map(row -> {
      Map<String, Object> referrals = new LinkedHashMap<>();
      Map<String, Object> made = ReportPeriod.counts(row, "made");
      referrals.put("made", ReportPeriod.total(made));
      referrals.put("madeByRecipient", made);
      referrals.put("responses", ReportPeriod.counts(row, "responses"));
      referrals.put("breaches", ReportPeriod.counts(row, "breaches"));
      referrals.put("redirects", row.getLong("redirects"));
      referrals.put("loops", row.getLong("loops"));
      Map<String, Object> report = period.describe();
      report.put("referrals", referrals);
      return report;
    });
  }
}
