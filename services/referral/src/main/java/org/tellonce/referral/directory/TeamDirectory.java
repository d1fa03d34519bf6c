package org.tellonce.referral.directory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.tellonce.referral.routing.Team;

/**
 * The teams routing chooses from, in memory: the HealthcareServices identity publishes (kept in the database by
 * {@link DirectoryListener}) with the number of open referrals each holds, re-read every few seconds so that every
 * replica sees every team and every replica's referrals. Between two reads a replica counts its own new referrals.
 * The same read keeps the gauge of open referrals by status.
 */
@ApplicationScoped
public class TeamDirectory {

  private static final Logger LOG = Logger.getLogger(TeamDirectory.class);

  /** The fields of a HealthcareService event routing uses. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ServiceData(String serviceId, Integer version, Boolean active, String name, String organization,
      List<String> categories, List<String> localities, Integer capacity, List<Map<String, String>> notAvailable) {}

  /** Statuses of a referral still with a receiver, counted for the {@code tellonce_referral_open} gauge. */
  static final List<String> OPEN_STATUSES = List.of("requested", "received", "accepted", "in-progress", "on-hold");

  @Inject Pool pool;
  @Inject ObjectMapper mapper;
  @Inject io.micrometer.core.instrument.MeterRegistry registry;

  private final Map<String, java.util.concurrent.atomic.AtomicLong> byStatus = new ConcurrentHashMap<>();

  private volatile List<Team> teams = List.of();
  private final Map<String, Integer> routedSinceRead = new ConcurrentHashMap<>();

  /** Reads the teams once before the service takes requests (on the main thread, which may wait). */
  void start(@Observes StartupEvent started) {
    refresh().await().atMost(Duration.ofSeconds(30));
  }

  public List<Team> teams() {
    return teams;
  }

  /** One more open referral for a team, until the next read counts it. */
  public void routed(String serviceId) {
    if (serviceId != null) {
      routedSinceRead.merge(serviceId, 1, Integer::sum);
      List<Team> next = new ArrayList<>(teams.size());
      for (Team team : teams) {
        next.add(team.id().equals(serviceId) ? team.withOpen(team.open() + 1) : team);
      }
      teams = List.copyOf(next);
    }
  }

  @Scheduled(every = "${tellonce.routing.directory-refresh:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> scheduled() {
    return refresh().onFailure().invoke(e -> LOG.warnf("Could not re-read the team directory: %s", e.getMessage()))
        .onFailure().recoverWithNull().replaceWithVoid();
  }

  /** Re-reads the teams and their open referrals. */
  public Uni<Void> refresh() {
    routedSinceRead.clear();
    return pool.query("select data from directory_service").execute().chain(services -> pool.query("""
            select recipient_service, count(*) as open from referral
            where recipient_service is not null and status not in ('completed', 'rejected', 'cancelled')
            group by recipient_service""").execute().map(counts -> {
          Map<String, Integer> open = new HashMap<>();
          for (Row row : counts) {
            open.put(row.getString("recipient_service"), row.getLong("open").intValue());
          }
          List<Team> read = new ArrayList<>();
          for (Row row : services) {
            Team team = team(row.getString("data"), 0);
            if (team != null) {
              read.add(team.withOpen(open.getOrDefault(team.id(), 0) + routedSinceRead.getOrDefault(team.id(), 0)));
            }
          }
          teams = List.copyOf(read);
          return null;
        })).chain(() -> pool.query("""
            select status, count(*) as open from referral
            where status not in ('completed', 'rejected', 'cancelled') group by status""").execute())
        .invoke(counts -> {
          Map<String, Long> now = new HashMap<>();
          counts.forEach(row -> now.put(row.getString("status"), row.getLong("open")));
          for (String status : OPEN_STATUSES) {
            byStatus.computeIfAbsent(status, s -> registry.gauge("tellonce.referral.open",
                    io.micrometer.core.instrument.Tags.of("status", s), new java.util.concurrent.atomic.AtomicLong()))
                .set(now.getOrDefault(status, 0L));
          }
        }).replaceWithVoid();
  }

  Team team(String json, int open) {
    try {
      ServiceData data = mapper.readValue(json, ServiceData.class);
      List<Team.Closure> closures = new ArrayList<>();
      if (data.notAvailable() != null) {
        for (Map<String, String> period : data.notAvailable()) {
          closures.add(new Team.Closure(period.get("start") == null ? null : Instant.parse(period.get("start")),
              period.get("end") == null ? null : Instant.parse(period.get("end"))));
        }
      }
      return new Team(data.serviceId(), data.name(), data.organization(), !Boolean.FALSE.equals(data.active()),
          new LinkedHashSet<>(data.categories() == null ? List.of() : data.categories()),
          new LinkedHashSet<>(data.localities() == null ? List.of() : data.localities()), data.capacity(),
          List.copyOf(closures), open);
    } catch (Exception e) {
      LOG.warnf("A stored team cannot be read and is left out of routing: %s", e.getMessage());
      return null;
    }
  }
}
