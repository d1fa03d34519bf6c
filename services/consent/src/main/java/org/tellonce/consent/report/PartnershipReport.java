package org.tellonce.consent.report;

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
 * The consent part of the partnership report: over whole days (Europe/London) from {@code from} to {@code to}
 * inclusive — objections recorded, and reviewed (upheld, overridden); break-glass grants by organisation, their uses,
 * and how the privacy officers judged them. Counts only: no person, no Consent.
 */
@Path("/reports/partnership")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.ADMIN, Roles.PRIVACY_OFFICER, Roles.SERVICE})
public class PartnershipReport {

  static final String SQL = """
      select
        (select count(*) from consent_record c join consent_version v on v.consent_id = c.id and v.version = 1
           where c.objection and v.recorded_at >= $1 and v.recorded_at < $2) as recorded,
        (select json_object_agg(outcome, n) from (select outcome, count(*) as n from objection_review
           where reviewed_at >= $1 and reviewed_at < $2 group by 1) reviews) as reviewed,
        (select json_object_agg(organization, n) from (select organization, count(*) as n from break_glass
           where granted_at >= $1 and granted_at < $2 group by 1) granted) as grants,
        (select count(*) from break_glass_use where used_at >= $1 and used_at < $2) as uses,
        (select json_object_agg(review, n) from (select review, count(*) as n from break_glass
           where granted_at >= $1 and granted_at < $2 group by 1) judged) as grant_reviews
      """;

  @Inject Pool pool;

  @GET
  public Uni<Map<String, Object>> report(@QueryParam("from") String from, @QueryParam("to") String to) {
    ReportPeriod period = ReportPeriod.of(from, to);
    return period.row(pool, SQL).map(row -> {
      Map<String, Object> objections = new LinkedHashMap<>();
      objections.put("recorded", row.getLong("recorded"));
      objections.put("reviewed", ReportPeriod.counts(row, "reviewed"));
      Map<String, Object> breakGlass = new LinkedHashMap<>();
      Map<String, Object> grants = ReportPeriod.counts(row, "grants");
      breakGlass.put("grants", ReportPeriod.total(grants));
      breakGlass.put("grantsByOrganization", grants);
      breakGlass.put("uses", row.getLong("uses"));
      breakGlass.put("reviews", ReportPeriod.counts(row, "grant_reviews"));
      Map<String, Object> report = period.describe();
      report.put("objections", objections);
      report.put("breakGlass", breakGlass);
      return report;
    });
  }
}
