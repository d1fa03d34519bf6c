package org.tellonce.platform.persistence;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;
import org.hibernate.reactive.mutiny.impl.MutinySessionImpl;
import org.hibernate.reactive.pool.ReactiveConnection;

/**
 * Native SQL selects on a Hibernate Reactive session's own connection, without Hibernate's query plan cache: inside
 * the session's transaction when one is open (after its pending changes are flushed, as Hibernate does before a native
 * query), otherwise as a statement of its own.
 *
 * <p>Why: Hibernate Reactive 3.2 wraps a native select's result mapping in a class that does not implement equals, so
 * the plan of every native select misses the cache and is stored again under the same hash; lookups then walk an
 * ever longer bin of equal-hash keys (on a busy care-record service, 40% of its CPU went there, and the entries pushed
 * HQL plans out of the cache). Native mutations are cached correctly and stay with {@code session.createNativeQuery},
 * except those whose rows are wanted ({@code insert … returning}), which run here.
 *
 * <p>Parameters are positional ({@code $1}, {@code $2} …) and bound as given: an array for {@code = any($n)}.
 */
public final class SessionSql {

  private SessionSql() {}

  /** Every row, each as its column values in select order. */
  public static Uni<List<Object[]>> rows(Mutiny.Session session, String sql, Object... parameters) {
    ReactiveConnection connection = connection(session);
    Uni<Void> flushed = session.currentTransaction() == null ? Uni.createFrom().voidItem() : session.flush();
    return flushed
        .chain(() -> Uni.createFrom().completionStage(() -> connection.select(sql, parameters)))
        .map(result -> {
          List<Object[]> rows = new ArrayList<>(result.size());
          result.forEachRemaining(rows::add);
          return rows;
        });
  }

  /** The first column of every row. */
  @SuppressWarnings("unchecked")
  public static <T> Uni<List<T>> column(Mutiny.Session session, String sql, Object... parameters) {
    return rows(session, sql, parameters).map(rows -> rows.stream().map(row -> (T) row[0]).toList());
  }

  /** The first column of the first row, or null when there is no row. */
  @SuppressWarnings("unchecked")
  public static <T> Uni<T> first(Mutiny.Session session, String sql, Object... parameters) {
    return rows(session, sql, parameters).map(rows -> rows.isEmpty() ? null : (T) rows.get(0)[0]);
  }

  private static ReactiveConnection connection(Mutiny.Session session) {
    if (session instanceof MutinySessionImpl impl) {
      return impl.getReactiveConnection();
    }
    throw new IllegalStateException("Not a Hibernate Reactive Mutiny session: " + session.getClass().getName());
  }
}
