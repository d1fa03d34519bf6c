package org.tellonce.platform.persistence;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Every service's database pool as configured, with each connection keeping its prepared statements — long ones
 * included. PostgreSQL then parses and plans a statement once per connection instead of on every call: the decision
 * point's one-statement snapshot took about 1 ms to plan and 0.2 ms to run. Vert.x leaves statements longer than
 * 2,048 characters out of its cache by default; the snapshot is longer.
 */
@Singleton
public class StatementCachingPool implements PgPoolCreator {

  /** Longest statement kept prepared (characters); ours are all well below. */
  static final int SQL_LIMIT = 16_384;

  @Override
  @SuppressWarnings("deprecation") // Quarkus casts the pool it is given to PgPool
  public Pool create(Input input) {
    List<PgConnectOptions> options = input.pgConnectOptionsList().stream()
        .map(configured -> new PgConnectOptions(configured).setCachePreparedStatements(true)
            .setPreparedStatementCacheSqlLimit(SQL_LIMIT))
        .toList();
    return PgPool.pool(input.vertx(), options, input.poolOptions());
  }
}
