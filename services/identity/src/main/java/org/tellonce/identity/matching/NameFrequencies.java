package org.tellonce.identity.matching;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.Logger;
import org.tellonce.identity.config.IdentityConfig;

/**
 * How common each family and first given name is among the people in the index, refreshed every ten minutes: a match on
 * "smith" is weaker evidence than a match on a rare name (frequency-based Fellegi–Sunter). Until the index holds
 * {@code frequency-min-population} people, frequencies are not trusted and the configured u applies; a name seen fewer
 * than {@code frequency-min-count} times counts as that rare.
 */
@ApplicationScoped
public class NameFrequencies implements Scorer.Frequencies {

  private static final Logger LOG = Logger.getLogger(NameFrequencies.class);

  @Inject Pool pool;
  @Inject IdentityConfig config;

  private volatile Snapshot snapshot = new Snapshot(0, Map.of(), Map.of());

  private record Snapshot(long population, Map<String, Integer> family, Map<String, Integer> given) {}

  void onStart(@Observes StartupEvent event) {
    refresh().subscribe().with(x -> { }, e -> LOG.warnf("Name frequencies not loaded yet: %s", e.getMessage()));
  }

  @Scheduled(every = "10m", delayed = "10m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> scheduledRefresh() {
    return refresh();
  }

  public Uni<Void> refresh() {
    int minCount = config.match().frequencyMinCount();
    return pool.preparedQuery("select count(*) from person where active and replaced_by is null").execute()
        .map(rows -> rows.iterator().next().getLong(0))
        .chain(population -> counts("family", minCount).chain(family -> counts("given", minCount)
            .map(given -> new Snapshot(population, family, given))))
        .invoke(next -> snapshot = next)
        .replaceWithVoid();
  }

  private Uni<Map<String, Integer>> counts(String column, int minCount) {
    return pool.preparedQuery("select " + column + " as name, count(*) as n from person where active and replaced_by is"
            + " null and " + column + " is not null group by " + column + " having count(*) >= $1")
        .execute(Tuple.of(minCount))
        .map(rows -> {
          Map<String, Integer> counts = new HashMap<>();
          for (Row row : rows) {
            counts.put(row.getString("name"), (int) row.getLong("n").longValue());
          }
          return counts;
        });
  }

  @Override
  public double family(String value) {
    return frequency(snapshot.family(), value);
  }

  @Override
  public double given(String value) {
    return frequency(snapshot.given(), value);
  }

  private double frequency(Map<String, Integer> counts, String value) {
    Snapshot current = snapshot;
    if (value == null || current.population() < config.match().frequencyMinPopulation()) {
      return Double.NaN;
    }
    Integer count = counts.get(value);
    return (count == null ? config.match().frequencyMinCount() : count) / (double) current.population();
  }
}
