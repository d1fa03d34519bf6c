package org.tellonce.platform.report;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.tellonce.platform.fhir.FhirException;

/**
 * The period of a partnership report: whole days in Europe/London from {@code from} to {@code to} inclusive (the last
 * 30 days by default, at most 366), as the instants {@code [start, end)} the statements count between. Bad dates, a
 * reversed or longer period are the caller's mistake: 400.
 */
public record ReportPeriod(LocalDate first, LocalDate last, OffsetDateTime start, OffsetDateTime end) {

  public static final ZoneId LONDON = ZoneId.of("Europe/London");
  static final int DEFAULT_DAYS = 30;
  static final int MAX_DAYS = 366;

  public static ReportPeriod of(String from, String to) {
    LocalDate last = day("to", to, LocalDate.now(LONDON));
    LocalDate first = day("from", from, last.minusDays(DEFAULT_DAYS - 1L));
    if (first.isAfter(last)) {
      throw FhirException.badRequest("from must not be after to");
    }
    if (ChronoUnit.DAYS.between(first, last) >= MAX_DAYS) {
      throw FhirException.badRequest("A report covers at most " + MAX_DAYS + " days");
    }
    return new ReportPeriod(first, last, first.atStartOfDay(LONDON).toOffsetDateTime(),
        last.plusDays(1).atStartOfDay(LONDON).toOffsetDateTime());
  }

  /** Runs a report's statement over this period ({@code $1} the start, {@code $2} the end); answers its one row. */
  public Uni<Row> row(Pool pool, String sql) {
    return pool.preparedQuery(sql).execute(Tuple.of(start, end)).map(rows -> rows.iterator().next());
  }

  /** The start of a report: its period, for the sections to follow. */
  public Map<String, Object> describe() {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("from", first.toString());
    report.put("to", last.toString());
    return report;
  }

  /** A JSON object column of counts by name ({@code json_object_agg}), sorted; empty when there were none. */
  public static Map<String, Object> counts(Row row, String column) {
    Object value = row.getValue(column);
    return value == null ? Map.of() : new TreeMap<>(((io.vertx.core.json.JsonObject) value).getMap());
  }

  /** The sum of counts by name. */
  public static long total(Map<String, Object> counts) {
    return counts.values().stream().mapToLong(n -> ((Number) n).longValue()).sum();
  }

  private static LocalDate day(String name, String value, LocalDate otherwise) {
    if (value == null || value.isBlank()) {
      return otherwise;
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw FhirException.badRequest(name + " must be a date (YYYY-MM-DD)");
    }
  }
}
