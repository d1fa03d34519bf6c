package org.tellonce.identity.patient;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads of the person index that do not need the ORM: identifier resolution, merge chains and cross-references. */
@ApplicationScoped
public class PersonIndex {

  /** How many replaced-by links are followed before the chain is declared broken (merges never form cycles). */
  static final int MAX_CHAIN = 16;

  @Inject Pool pool;

  /** The person each known identifier belongs to (as stored, before following merges); unknown ones are absent. */
  public Uni<Map<SystemValue, String>> owners(List<SystemValue> identifiers) {
    if (identifiers.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    String[] systems = identifiers.stream().map(SystemValue::system).toArray(String[]::new);
    String[] values = identifiers.stream().map(SystemValue::value).toArray(String[]::new);
    return pool.preparedQuery("""
            select pi.system, pi.value, pi.person_id
            from person_identifier pi
            join unnest($1::text[], $2::text[]) as q(system, value) on q.system = pi.system and q.value = pi.value""")
        .execute(Tuple.of(systems, values))
        .map(rows -> {
          Map<SystemValue, String> owners = new LinkedHashMap<>();
          for (Row row : rows) {
            owners.put(new SystemValue(row.getString("system"), row.getString("value")), row.getString("person_id"));
          }
          return owners;
        });
  }

  /** Follows replaced-by links from a person to the record that is current now. */
  public Uni<String> current(String personId) {
    return pool.preparedQuery("""
            with recursive chain(id, replaced_by, depth) as (
              select id, replaced_by, 0 from person where id = $1
              union all
              select p.id, p.replaced_by, c.depth + 1 from person p join chain c on p.id = c.replaced_by
              where c.depth < $2)
            select id from chain where replaced_by is null""")
        .execute(Tuple.of(personId, MAX_CHAIN))
        .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString("id") : null);
  }

  /** Every record merged (directly or through others) into this one, and itself: one person's whole set of records. */
  public Uni<Set<String>> mergedSet(String currentId) {
    return pool.preparedQuery("""
            with recursive merged(id, depth) as (
              select id, 0 from person where id = $1
              union all
              select p.id, m.depth + 1 from person p join merged m on p.replaced_by = m.id where m.depth < $2)
            select id from merged""")
        .execute(Tuple.of(currentId, MAX_CHAIN))
        .map(rows -> {
          Set<String> ids = new LinkedHashSet<>();
          rows.forEach(row -> ids.add(row.getString("id")));
          return ids;
        });
  }

  /** All identifiers held by these records. */
  public Uni<List<SystemValue>> identifiersOf(Set<String> personIds) {
    return pool.preparedQuery("select system, value from person_identifier where person_id = any($1) order by system, value")
        .execute(Tuple.of(personIds.toArray(String[]::new)))
        .map(rows -> {
          List<SystemValue> identifiers = new ArrayList<>();
          rows.forEach(row -> identifiers.add(new SystemValue(row.getString("system"), row.getString("value"))));
          return identifiers;
        });
  }

  /** A stored record with what disclosure needs. */
  public record Stored(String id, String resource, boolean restricted, String recordedBy) {}

  public Uni<Stored> load(String id) {
    return load(List.of(id)).map(rows -> rows.get(id));
  }

  /** The stored records of these ids, by id (unknown ids are absent). */
  public Uni<Map<String, Stored>> load(List<String> ids) {
    if (ids.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    return pool.preparedQuery("select id, resource, restricted, recorded_by from person where id = any($1)")
        .execute(Tuple.of(ids.toArray(String[]::new)))
        .map(rows -> {
          Map<String, Stored> stored = new LinkedHashMap<>();
          for (Row row : rows) {
            stored.put(row.getString("id"), new Stored(row.getString("id"), row.getString("resource"),
                row.getBoolean("restricted"), row.getString("recorded_by")));
          }
          return stored;
        });
  }

  /** An identifier as system and value. */
  public record SystemValue(String system, String value) {}
}
