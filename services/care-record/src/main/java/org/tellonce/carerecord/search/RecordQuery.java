package org.tellonce.carerecord.search;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.tellonce.carerecord.access.DataClass;

/**
 * The record's reads, as SQL over the resource rows and the search index: what the caller may see (the permitted
 * classes) is part of every query, so a page holds {@code _count} visible resources, paging is stable (keyset on the
 * sort value, type and id) and a total counts only what the caller may see. Every value is a bound parameter.
 */
@ApplicationScoped
public class RecordQuery {

  static final String COLUMNS = "r.resource_type, r.id, r.version, r.labels, r.resource, r.deleted";
  static final String VISIBLE = "(r.resource_type || '|' || r.labels) = any(%s)";

  /** One stored resource (current or a version) as read for disclosure. */
  public record Hit(String resourceType, String id, int version, String labels, String resource, boolean deleted,
      OffsetDateTime sortValue) {

    public DataClass dataClass() {
      return new DataClass(resourceType, labels);
    }

    public String reference() {
      return resourceType + "/" + id;
    }

    /** The same version with other content (as disclosed after the obligations). */
    public Hit withResource(String disclosed) {
      return new Hit(resourceType, id, version, labels, disclosed, deleted, sortValue);
    }
  }

  /** One page: the hits, the total (null when not asked for) and where the next page starts (null at the end). */
  public record Page(List<Hit> hits, Long total, SearchRequest.Cursor next) {}

  @Inject Pool pool;

  /** The classes of data held about the person (every record id of them), current and not deleted. */
  public Uni<List<DataClass>> classes(List<String> personIds) {
    return pool.preparedQuery("select distinct resource_type, labels from record_resource"
            + " where person_id = any($1) and not deleted")
        .execute(Tuple.of(personIds.toArray(String[]::new)))
        .map(rows -> {
          List<DataClass> classes = new ArrayList<>();
          rows.forEach(row -> classes.add(new DataClass(row.getString(0), row.getString(1))));
          return classes;
        });
  }

  /** One page of the search, among the permitted classes of the person's records. */
  public Uni<Page> search(SearchRequest request, List<String> personIds, List<String> permitted) {
    Sql sql = new Sql();
    StringBuilder where = new StringBuilder()
        .append("r.person_id = any(").append(sql.bind(personIds.toArray(String[]::new))).append(")")
        .append(" and not r.deleted and r.resource_type = ").append(sql.bind(request.type()))
        .append(" and ").append(VISIBLE.formatted(sql.bind(permitted.toArray(String[]::new))));
    for (SearchRequest.Criterion criterion : request.criteria()) {
      where.append(" and ").append(condition(sql, criterion));
    }
    return page(sql, where.toString(), request.sort(), request.count(), request.cursor(),
        request.total() || request.countOnly(), request.countOnly());
  }

  /** {@code Patient/$everything}: every permitted resource of the person, of the types asked for, changed since. */
  public Uni<Page> everything(List<String> personIds, List<String> permitted, Collection<String> types, Instant since,
      int count, SearchRequest.Cursor cursor) {
    Sql sql = new Sql();
    StringBuilder where = new StringBuilder()
        .append("r.person_id = any(").append(sql.bind(personIds.toArray(String[]::new))).append(")")
        .append(" and not r.deleted and ").append(VISIBLE.formatted(sql.bind(permitted.toArray(String[]::new))));
    if (types != null) {
      where.append(" and r.resource_type = any(").append(sql.bind(types.toArray(String[]::new))).append(")");
    }
    if (since != null) {
      where.append(" and r.updated_at >= ").append(sql.bind(since.atOffset(ZoneOffset.UTC)));
    }
    return page(sql, where.toString(), SearchRequest.Sort.LAST_UPDATED_ASC, count, cursor, true, false);
  }

  private Uni<Page> page(Sql sql, String where, SearchRequest.Sort sort, int count, SearchRequest.Cursor cursor,
      boolean total, boolean countOnly) {
    Uni<Long> counted = total
        ? pool.preparedQuery("select count(*) from record_resource r where " + where).execute(sql.tuple())
            .map(rows -> rows.iterator().next().getLong(0))
        : Uni.createFrom().nullItem();
    if (countOnly) {
      return counted.map(n -> new Page(List.of(), n, null));
    }
    Sql pageSql = sql.copy();
    String pageWhere = where;
    String direction = sort.descending ? "desc" : "asc";
    if (cursor != null) {
      pageWhere += " and (" + sort.expression + ", r.resource_type, r.id) " + (sort.descending ? "<" : ">")
          + " (" + pageSql.bind(fromMicros(cursor.sortMicros())) + ", " + pageSql.bind(cursor.type()) + ", "
          + pageSql.bind(cursor.id()) + ")";
    }
    String query = "select " + COLUMNS + ", " + sort.expression + " as sort_value from record_resource r where "
        + pageWhere + " order by sort_value " + direction + ", r.resource_type " + direction + ", r.id " + direction
        + " limit " + pageSql.bind(count + 1);
    return counted.chain(n -> pool.preparedQuery(query).execute(pageSql.tuple()).map(rows -> {
      List<Hit> hits = new ArrayList<>();
      for (Row row : rows) {
        hits.add(hit(row));
      }
      SearchRequest.Cursor next = null;
      if (hits.size() > count) {
        hits = hits.subList(0, count);
        Hit last = hits.get(count - 1);
        next = new SearchRequest.Cursor(toMicros(last.sortValue()), last.resourceType(), last.id());
      }
      return new Page(hits, n, next);
    }));
  }

  /** The resources the page's matches reference through the include's parameter, among the permitted ones. */
  public Uni<List<Hit>> included(SearchRequest.Include include, List<String> sourceIds, List<String> personIds,
      List<String> permitted, int limit) {
    Sql sql = new Sql();
    String query = "select distinct " + COLUMNS + ", r.updated_at as sort_value from record_index i"
        + " join record_resource r on r.resource_type = split_part(i.code, '/', 1) and r.id = split_part(i.code, '/', 2)"
        + " where i.resource_type = " + sql.bind(include.sourceType()) + " and i.id = any("
        + sql.bind(sourceIds.toArray(String[]::new)) + ") and i.param = " + sql.bind(include.param().name())
        + " and r.person_id = any(" + sql.bind(personIds.toArray(String[]::new)) + ") and not r.deleted and "
        + VISIBLE.formatted(sql.bind(permitted.toArray(String[]::new))) + " limit " + sql.bind(limit);
    return hits(query, sql);
  }

  /** The resources that reference the page's matches through the revinclude's parameter, among the permitted ones. */
  public Uni<List<Hit>> revincluded(SearchRequest.Include include, List<String> targetReferences,
      List<String> personIds, List<String> permitted, int limit) {
    Sql sql = new Sql();
    String query = "select distinct " + COLUMNS + ", r.updated_at as sort_value from record_index i"
        + " join record_resource r on r.resource_type = i.resource_type and r.id = i.id"
        + " where i.param = " + sql.bind(include.param().name()) + " and i.resource_type = "
        + sql.bind(include.sourceType()) + " and i.code = any(" + sql.bind(targetReferences.toArray(String[]::new))
        + ") and r.person_id = any(" + sql.bind(personIds.toArray(String[]::new)) + ") and not r.deleted and "
        + VISIBLE.formatted(sql.bind(permitted.toArray(String[]::new))) + " limit " + sql.bind(limit);
    return hits(query, sql);
  }

  /** Every version of a resource, newest first. */
  public Uni<List<Hit>> history(String type, String id) {
    return versions(type, id, null);
  }

  /** One version of a resource, or null when it has no such version. */
  public Uni<Hit> version(String type, String id, int version) {
    return versions(type, id, version).map(found -> found.isEmpty() ? null : found.get(0));
  }

  private Uni<List<Hit>> versions(String type, String id, Integer version) {
    Sql sql = new Sql();
    String query = "select r.resource_type, r.id, r.version, r.labels, r.resource, r.deleted, r.recorded_at as"
        + " sort_value from record_version r where r.resource_type = " + sql.bind(type) + " and r.id = "
        + sql.bind(id) + (version == null ? "" : " and r.version = " + sql.bind(version)) + " order by r.version desc";
    return hits(query, sql);
  }

  private Uni<List<Hit>> hits(String query, Sql sql) {
    return pool.preparedQuery(query).execute(sql.tuple()).map(rows -> {
      List<Hit> hits = new ArrayList<>();
      rows.forEach(row -> hits.add(hit(row)));
      return hits;
    });
  }

  private static Hit hit(Row row) {
    return new Hit(row.getString("resource_type"), row.getString("id"), row.getInteger("version"),
        row.getString("labels"), row.getString("resource"), row.getBoolean("deleted"),
        row.getOffsetDateTime("sort_value"));
  }

  private static String condition(Sql sql, SearchRequest.Criterion criterion) {
    SearchParams.Param param = criterion.param();
    List<String> alternatives = new ArrayList<>();
    if (param.name().equals("_id")) {
      return "r.id = any(" + sql.bind(criterion.values().toArray(String[]::new)) + ")";
    }
    if (param.name().equals("_lastUpdated")) {
      for (String value : criterion.values()) {
        alternatives.add(date(sql, DatePrefix.parse(param.name(), value), "r.updated_at", "r.updated_at"));
      }
      return "(" + String.join(" or ", alternatives) + ")";
    }
    for (String value : criterion.values()) {
      alternatives.add(switch (param.kind()) {
        case TOKEN -> token(sql, value);
        case DATE -> date(sql, DatePrefix.parse(param.name(), value), "i.low", "i.high");
        case REFERENCE -> reference(sql, value);
      });
    }
    // The resource's own index rows of the parameter, looked up from the resource (offset 0 keeps the subquery whole):
    // otherwise PostgreSQL, estimating one row for the person and one for the value (both columns have millions of
    // distinct values), checks each of the person's resources against every index row holding that value in anyone's
    // record, and a patient search slows down as the code grows common (50-100 ms for 500 resources on a database of
    // 1.2 million resources; docs/benchmarks.md).
    String exists = "exists (select 1 from (select i.system, i.code, i.low, i.high from record_index i"
        + " where i.resource_type = r.resource_type and i.id = r.id and i.param = " + sql.bind(param.name())
        + " offset 0) i where " + String.join(" or ", alternatives) + ")";
    return "not".equals(criterion.modifier()) ? "not " + exists : exists;
  }

  /** {@code system|code}, {@code |code} (no system), {@code system|} (any code of the system) or {@code code}. */
  private static String token(Sql sql, String value) {
    int bar = value.indexOf('|');
    if (bar < 0) {
      return "i.code = " + sql.bind(value);
    }
    String system = value.substring(0, bar);
    String code = value.substring(bar + 1);
    if (system.isEmpty()) {
      return "(i.code = " + sql.bind(code) + " and i.system is null)";
    }
    if (code.isEmpty()) {
      return "i.system = " + sql.bind(system);
    }
    return "(i.code = " + sql.bind(code) + " and i.system = " + sql.bind(system) + ")";
  }

  private static String date(Sql sql, DatePrefix value, String low, String high) {
    return value.condition(low, high, () -> sql.bind(value.range().low().atOffset(ZoneOffset.UTC)),
        () -> sql.bind(value.range().high().atOffset(ZoneOffset.UTC)));
  }

  /** {@code Type/id}, or an id alone (of whatever type the parameter references). */
  private static String reference(Sql sql, String value) {
    String target = Indexer.localReference(value);
    if (target != null) {
      return "i.code = " + sql.bind(target);
    }
    if (!value.matches("[A-Za-z0-9\\-.]{1,64}")) {
      throw org.tellonce.platform.fhir.FhirException.badRequest("A reference search value is Type/id or an id");
    }
    return "split_part(i.code, '/', 2) = " + sql.bind(value);
  }

  static long toMicros(OffsetDateTime value) {
    Instant instant = value.toInstant();
    return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }

  static OffsetDateTime fromMicros(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
  }

  /** Bound parameters, numbered in the order they are bound. */
  static final class Sql {
    private final List<Object> values = new ArrayList<>();

    String bind(Object value) {
      values.add(value);
      return "$" + values.size();
    }

    Tuple tuple() {
      return Tuple.from(values);
    }

    Sql copy() {
      Sql copy = new Sql();
      copy.values.addAll(values);
      return copy;
    }
  }
}
