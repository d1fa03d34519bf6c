package org.tellonce.platform.person;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.tellonce.platform.persistence.SessionSql;

/**
 * Merged person records as identity.person.v1 tells them: data kept against a record that was merged away belongs to
 * the record it was merged into. Services do not rewrite what they hold; they ask for every record of a person.
 * Call inside a session (or transaction) of the service's database.
 */
@ApplicationScoped
public class PersonAliases {

  public static final String REGISTERED = "org.tellonce.identity.person.registered.v1";
  public static final String UPDATED = "org.tellonce.identity.person.updated.v1";
  public static final String MERGED = "org.tellonce.identity.person.merged.v1";
  public static final String UNMERGED = "org.tellonce.identity.person.unmerged.v1";

  public static final int MAX_CHAIN = 16;

  /**
   * A scalar subquery giving the record the person id in {@code column} (a column of the enclosing query, or a
   * parameter) stands for now, following merges: for a service's own select that wants the current person with its
   * row, in the same statement.
   */
  public static String currentOf(String column) {
    return """
        (with recursive up(id, depth) as (
           select cast(%s as text), 0
           union all
           select a.target_id, up.depth + 1 from person_alias a join up on a.source_id = up.id where up.depth < %d)
         select id from up order by depth desc limit 1)""".formatted(column, MAX_CHAIN);
  }

  /** Whether an identity.person.v1 event type is a merge or an unmerge (the events this class applies). */
  public static boolean isMerge(String type) {
    return MERGED.equals(type) || UNMERGED.equals(type);
  }

  /**
   * Applies a merged or unmerged event. Fails with IllegalArgumentException (the consumer's dead-letter reason) when
   * it lacks a field, or is not a merge event at all.
   */
  public Uni<Void> apply(String type, String mergeId, String sourceId, String targetId) {
    if (!isMerge(type)) {
      throw new IllegalArgumentException("Not a merge event: " + type);
    }
    if (mergeId == null || sourceId == null || targetId == null) {
      throw new IllegalArgumentException("A " + type + " event needs mergeId, sourceId and targetId");
    }
    return MERGED.equals(type) ? merged(mergeId, sourceId, targetId) : unmerged(mergeId, sourceId);
  }

  public Uni<Void> merged(String mergeId, String sourceId, String targetId) {
    return Panache.getSession().chain(session -> session.createNativeQuery(
            "insert into person_alias (source_id, target_id, merge_id) values (:source, :target, :merge)"
                + " on conflict (source_id) do update set target_id = excluded.target_id, merge_id = excluded.merge_id")
        .setParameter("source", sourceId).setParameter("target", targetId).setParameter("merge", mergeId)
        .executeUpdate())
        .replaceWithVoid();
  }

  public Uni<Void> unmerged(String mergeId, String sourceId) {
    return Panache.getSession().chain(session -> session.createNativeQuery(
            "delete from person_alias where source_id = :source and merge_id = :merge")
        .setParameter("source", sourceId).setParameter("merge", mergeId)
        .executeUpdate())
        .replaceWithVoid();
  }

  /** The record a person id stands for now (following merges) first, then every record merged into it. */
  public Uni<List<String>> records(String personId) {
    return current(personId).chain(current -> Panache.getSession().chain(session ->
        SessionSql.<String>column(session, """
                with recursive down(id, depth) as (
                  select cast($1 as text), 0
                  union all
                  select a.source_id, down.depth + 1 from person_alias a join down on a.target_id = down.id
                  where down.depth < $2)
                select id from down order by depth""", current, MAX_CHAIN)))
        .map(ids -> (List<String>) new ArrayList<>(new LinkedHashSet<>(ids)));
  }

  /** The record a person id stands for now, following merges; a null id (nobody in particular) stands for itself. */
  public Uni<String> current(String personId) {
    return Panache.getSession().chain(session -> SessionSql.first(session, "select " + currentOf("$1"), personId));
  }

  /**
   * The records the person ids stand for now (each followed through merges, as {@link #records} puts first), in one
   * statement however many ids.
   */
  public Uni<Set<String>> current(Collection<String> personIds) {
    return Panache.getSession().chain(session -> SessionSql.<String>column(session,
            "select " + currentOf("s") + " from unnest($1::text[]) s order by s", (Object) personIds.toArray(
                new String[0])))
        .map(LinkedHashSet::new);
  }
}
