package org.tellonce.platform.persistence;

import io.micrometer.core.instrument.Counter;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.OffsetDateTime;

/**
 * Removes rows past their retention a batch per statement, so no statement holds many locks or a long transaction,
 * and a backlog of old rows is worked off in steps. The statement takes the cut-off ({@code $1}) and the batch size
 * ({@code $2}) and must find its rows through an index on the age it compares, oldest first.
 */
public final class Retention {

  private Retention() {}

  /** Runs {@code delete} until a batch comes back short; answers how many rows went, each counted on {@code pruned}. */
  public static Uni<Long> deleteBefore(Pool pool, String delete, OffsetDateTime before, int batch, Counter pruned) {
    return deleteFrom(pool, delete, before, batch, pruned, 0L);
  }

  private static Uni<Long> deleteFrom(Pool pool, String delete, OffsetDateTime before, int batch, Counter pruned,
      long sofar) {
    return pool.preparedQuery(delete).execute(Tuple.of(before, batch)).chain(rows -> {
      int removed = rows.rowCount();
      pruned.increment(removed);
      return removed < batch ? Uni.createFrom().item(sofar + removed)
          : deleteFrom(pool, delete, before, batch, pruned, sofar + removed);
    });
  }
}
