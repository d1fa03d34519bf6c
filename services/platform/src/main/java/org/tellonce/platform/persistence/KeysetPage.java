package org.tellonce.platform.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a search ordered by id and paged by keyset (the next page starts after the last id seen), so following
 * the next cursor stays stable while rows are added; the total counts every match.
 */
public record KeysetPage<T>(List<T> items, long total, String next) {

  public static <T> KeysetPage<T> empty() {
    return new KeysetPage<>(List.of(), 0, null);
  }

  /**
   * Counts and fetches one page. {@code from} names the table with an alias; {@code id} the alias' id column;
   * {@code where} the conditions over {@code parameters} ($1 …, bound, never concatenated values).
   */
  public static <T> Uni<KeysetPage<T>> query(Pool pool, String columns, String from, String id, String where,
      List<Object> parameters, String cursor, int count, Function<Row, T> item) {
    List<Object> pageParameters = new ArrayList<>(parameters);
    String pageWhere = where;
    if (cursor != null) {
      pageParameters.add(cursor);
      pageWhere += " and " + id + " > $" + pageParameters.size();
    }
    pageParameters.add(count + 1);
    String pageSql = "select " + columns + " from " + from + " where " + pageWhere + " order by " + id + " limit $"
        + pageParameters.size();
    return pool.preparedQuery("select count(*) from " + from + " where " + where).execute(Tuple.from(parameters))
        .map(rows -> rows.iterator().next().getLong(0))
        .chain(total -> pool.preparedQuery(pageSql).execute(Tuple.from(pageParameters)).map(rows -> {
          List<T> items = new ArrayList<>();
          String last = null;
          for (Row row : rows) {
            if (items.size() == count) {
              return new KeysetPage<>(items, total, last);
            }
            last = row.getString("id");
            items.add(item.apply(row));
          }
          return new KeysetPage<>(items, total, null);
        }));
  }
}
