package org.tellonce.carerecord.monitor;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;
import org.tellonce.carerecord.CareRecordTopics;
import org.tellonce.carerecord.monitor.Signals.Seen;
import org.tellonce.carerecord.monitor.Signals.Signal;
import org.tellonce.platform.decision.Obligations;
import org.tellonce.platform.inbox.Inbox;
import org.tellonce.platform.outbox.Outbox;
import org.tellonce.platform.persistence.SessionSql;
import org.tellonce.platform.resilience.Transient;

/**
 * Inappropriate-access monitoring: reads audit.v1 (the record's and referral's audit entries), keeps the accesses a
 * rule counts ({@link Signals}) and raises an alert when a user reaches a rule's threshold within its window — stored
 * for {@code GET /alerts} and told to the privacy officer of the user's organisation on record.notification.v1, in
 * one transaction. Counting starts again after an alert, so a user who goes on gets a new alert each time the
 * threshold is reached again. Windows are in event time (when the access was audited), so late or out-of-order
 * delivery finds the same windows; a redelivered event adds nothing (the signal is kept once per event). Ids only:
 * no names, no clinical content. One advisory lock per rule and user keeps two consumers from raising one alert twice.
 */
@ApplicationScoped
public class AccessMonitor {

  private static final Logger LOG = Logger.getLogger(AccessMonitor.class);
  static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm");

  private static final String LOCK = "select 1 from (select pg_advisory_xact_lock(hashtext($1))) lock";
  /**
   * Keeps the signal (once per event) and widens its key's span to it, in one statement; counts 1 when kept, 0 when
   * the event was counted before.
   */
  private static final String KEEP = """
      with kept as (
        insert into access_signal (rule, user_name, organization, person_id, signal_key, event_id, at)
        values (:rule, :user, :organization, :person, :key, :event, :at) on conflict do nothing
        returning rule, user_name, signal_key, at)
      insert into access_signal_span (rule, user_name, signal_key, first_at, last_at)
      select rule, user_name, signal_key, at, at from kept
      on conflict (rule, user_name, signal_key) do update
        set first_at = least(access_signal_span.first_at, excluded.first_at),
            last_at = greatest(access_signal_span.last_at, excluded.last_at)""";
  /**
   * How many keys (up to the threshold) the user has under the rule whose signals may fall between two instants and,
   * for a rule that counts people together, after the user's last alert under it: the spans that overlap the
   * interval. A superset of what any window counts (a span may have a gap where the window is; no person filter), so
   * below the threshold no window can reach it. It reads at most threshold spans, however many signals the user has.
   * (A per-person rule's alerts are per person, and {@link #WINDOW} finds the person's own.)
   */
  private static final String KEYS = """
      select count(*) from (
        select 1 from access_signal_span p
        where p.rule = $1 and p.user_name = $2 and p.first_at < $4
          and p.last_at > greatest($3, case when cast($6 as boolean) then null
                                            else (select max(a.last_at) from access_alert a
                                                  where a.rule = $1 and a.user_name = $2) end)
        limit $5) k""";
  /**
   * The earliest window (of the rule's length, ending at a counted access) that holds this access and reaches the
   * threshold, counting only accesses after the user's last alert under the rule. Accesses about different people
   * arrive in any order (audit.v1 is keyed by person), so every window that holds this access is tried, not only the
   * one ending at it. When all the accesses around this one since the last alert hold fewer distinct keys than the
   * threshold, no window can reach it: {@link #KEYS} checks that first, so a user who reads a handful of people all
   * night (thousands of accesses, never an alert) costs a few index steps per access instead of a window, or a pass
   * over the night.
   */
  private static final String WINDOW = """
      with since as (
        select coalesce((select max(last_at) + case when cast($1 as boolean)
                                                 then make_interval(secs => $2) else interval '0' end
                         from access_alert where rule = $3 and user_name = $4
                           and (not cast($1 as boolean)
                                or persons::jsonb @> jsonb_build_array(cast($5 as text)))),
                        '-infinity'::timestamptz) as t),
      counted as (
        select s.at, s.signal_key, s.person_id from access_signal s, since
        where s.rule = $3 and s.user_name = $4 and s.at > since.t and s.at > $6 and s.at < $7
          and (not cast($1 as boolean) or s.person_id = cast($5 as text))),
      windows as (
        select e.at as last, min(c.at) as first, count(distinct c.signal_key) as n,
          json_agg(distinct c.person_id) filter (where c.person_id is not null) as persons
        from (select distinct at from counted where at >= $8) e
        join counted c on c.at > e.at - make_interval(secs => $2) and c.at <= e.at
        group by e.at)
      select json_build_object('count', n, 'first', first, 'last', last,
        'persons', coalesce(persons, '[]'::json))::text
      from windows where n >= $9
        and (select count(distinct signal_key) from counted) >= $9
      order by last limit 1""";

  @Inject MonitorConfig config;
  @Inject Outbox outbox;
  @Inject ObjectMapper mapper;
  @Inject MeterRegistry registry;
  @Inject Pool pool;
  @Inject @RestClient IdentityClient identity;

  private Cache<String, List<Signal>> proximities;
  private Signals.WorkingDay workingDay;

  @PostConstruct
  void init() {
    workingDay = new Signals.WorkingDay(config.dayStarts(), config.dayEnds(), config.zone());
    proximities = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(config.proximityCache()).build();
  }

  @Incoming("access-monitor")
  public Uni<Void> consume(ConsumerRecord<String, String> record) {
    String eventId = Inbox.eventId(record);
    String type = Inbox.eventType(record);
    if (eventId == null || type == null) {
      return Uni.createFrom().failure(new IllegalArgumentException("Event without CloudEvents id or type headers"));
    }
    if (!Signals.WATCHED.contains(type)) {
      return Uni.createFrom().voidItem();
    }
    Seen seen;
    try {
      seen = mapper.readValue(record.value(), Seen.class);
    } catch (Exception e) {
      return Uni.createFrom().failure(new IllegalArgumentException("Unreadable audit event " + eventId + " (" + type
          + ")", e));
    }
    List<Signal> signals = Signals.of(type, seen, workingDay);
    Uni<Void> counted = keep(eventId, seen, signals);
    if (!config.proximity() || !Signals.shown(type, seen)) {
      return counted;
    }
    // the person index is asked after the other rules have counted: while it is away the event is held (tried again
    // until it answers); if it refuses, the event goes to the dead-letter topic with the reason, and its replay
    // counts only what is missing
    return counted.chain(() -> proximity(seen)).chain(found -> keep(eventId, seen, found));
  }

  /** Counts the signals of one event in one transaction, raising what they reach. */
  private Uni<Void> keep(String eventId, Seen seen, List<Signal> signals) {
    if (signals.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<AlertEntity> raised = new ArrayList<>();
    return Transient.untilPasses("Access signals", () -> Panache.withTransaction(() -> {
      raised.clear();
      Uni<Void> chain = Uni.createFrom().voidItem();
      for (Signal signal : signals) {
        chain = chain.chain(() -> observe(eventId, seen, signal)).invoke(alert -> {
          if (alert != null) {
            raised.add(alert);
          }
        }).replaceWithVoid();
      }
      return chain;
    })).invoke(() -> raised.forEach(alert -> registry.counter("tellonce.access.alerts", "rule", alert.rule)
        .increment()));
  }

  /** Whether the person is the user's namesake or colleague, from the person index (kept a while per user and person). */
  private Uni<List<Signal>> proximity(Seen seen) {
    String key = seen.user() + "|" + seen.personId();
    List<Signal> known = proximities.getIfPresent(key);
    if (known != null) {
      return Uni.createFrom().item(known);
    }
    return Transient.untilPasses("The namesake and colleague rules",
            () -> identity.proximity(seen.user(), new IdentityClient.Request(List.of(seen.personId()))))
        .onFailure().transform(e -> new IllegalStateException("The namesake and colleague rules could not ask the"
            + " person index (" + e.getClass().getSimpleName() + "); replay this event once identity answers", e))
        .map(answer -> {
          List<Signal> found = new ArrayList<>();
          answer.persons().stream().filter(p -> seen.personId().equals(p.person())).forEach(p -> {
            if (p.namesake()) {
              found.add(new Signal(Rule.NAMESAKE, p.person()));
            }
            if (p.colleague()) {
              found.add(new Signal(Rule.COLLEAGUE, p.person()));
            }
          });
          proximities.put(key, List.copyOf(found));
          return found;
        });
  }

  private Uni<AlertEntity> observe(String eventId, Seen seen, Signal signal) {
    Rule rule = signal.rule();
    MonitorConfig.Threshold threshold = config.threshold(rule);
    OffsetDateTime at = seen.recorded().atOffset(ZoneOffset.UTC);
    return Panache.getSession().chain(session -> SessionSql.rows(session, LOCK, rule.code + "|" + seen.user())
        .chain(() -> session.createNativeQuery(KEEP)
            .setParameter("rule", rule.code).setParameter("user", seen.user())
            .setParameter("organization", seen.organization()).setParameter("person", seen.personId())
            .setParameter("key", signal.key()).setParameter("event", eventId).setParameter("at", at)
            .executeUpdate())
        .chain(kept -> kept == 0
            ? Uni.createFrom().item(0L)
            : SessionSql.<Long>first(session, KEYS, rule.code, seen.user(), at.minus(threshold.window()),
                at.plus(threshold.window()), (long) threshold.count(), rule.perPerson()))
        .chain(keys -> keys < (rule.perPerson() ? 1 : threshold.count())
            ? Uni.createFrom().nullItem()
            : SessionSql.<String>first(session, WINDOW, rule.perPerson(), (double) threshold.window().toSeconds(),
                    rule.code, seen.user(), seen.personId(), at.minus(threshold.window()),
                    at.plus(threshold.window()), at, rule.perPerson() ? 1L : (long) threshold.count())
                .chain(window -> window == null ? Uni.createFrom().nullItem() : raise(rule, seen, window))));
  }

  private Uni<AlertEntity> raise(Rule rule, Seen seen, String window) {
    JsonNode counted;
    List<String> persons;
    try {
      counted = mapper.readTree(window);
      persons = mapper.convertValue(counted.get("persons"), new TypeReference<List<String>>() {});
    } catch (Exception e) {
      return Uni.createFrom().failure(new IllegalStateException("Unreadable window of rule " + rule.code, e));
    }
    int count = counted.get("count").asInt();
    AlertEntity alert = new AlertEntity();
    alert.id = UUID.randomUUID().toString();
    alert.rule = rule.code;
    alert.user = seen.user();
    alert.organization = seen.organization();
    alert.raisedAt = OffsetDateTime.now(ZoneOffset.UTC);
    alert.firstAt = OffsetDateTime.parse(counted.get("first").asText());
    alert.lastAt = OffsetDateTime.parse(counted.get("last").asText());
    alert.occurrences = count;
    alert.persons = counted.get("persons").toString();
    String first = WHEN.format(alert.firstAt.atZoneSameInstant(config.zone()));
    String last = WHEN.format(alert.lastAt.atZoneSameInstant(config.zone()));
    alert.description = seen.user() + (seen.organization() == null ? "" : " (" + seen.organization() + ")") + " "
        + rule.describe(count) + (first.equals(last) ? " at " + last : " between " + first + " and " + last)
        + " (" + config.zone().getId() + ").";
    alert.status = AlertEntity.OPEN;
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("alertId", alert.id);
    data.put("audience", Obligations.PRIVACY_OFFICER);
    data.put("rule", rule.code);
    data.put("user", alert.user);
    data.put("organization", alert.organization);
    data.put("raised", alert.raisedAt.toString());
    data.put("first", alert.firstAt.toString());
    data.put("last", alert.lastAt.toString());
    data.put("occurrences", count);
    data.put("persons", persons);
    data.put("description", alert.description);
    String key = alert.organization == null ? alert.user : alert.organization;
    return alert.<AlertEntity>persist()
        .chain(() -> outbox.publish(CareRecordTopics.NOTIFICATION, key, CareRecordTopics.ACCESS_ALERT, key, data))
        .replaceWith(alert);
  }

  /** Signals older than every window are of no more use: kept {@code tellonce.monitor.keep-signals} (7 days). */
  @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> prune() {
    io.vertx.mutiny.sqlclient.Tuple before = io.vertx.mutiny.sqlclient.Tuple.of(
        OffsetDateTime.now(ZoneOffset.UTC).minus(config.keepSignals()));
    return pool.preparedQuery("delete from access_signal where at < $1").execute(before)
        .chain(() -> pool.preparedQuery("delete from access_signal_span where last_at < $1").execute(before))
        .onFailure().invoke(e -> LOG.warnf("Could not prune access signals: %s", e.getMessage()))
        .onFailure().recoverWithNull().replaceWithVoid();
  }
}
