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
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;
import org.tellonce.carerecord.CareRecordTopics;
import org.tellonce.carerecord.monitor.Signals.Seen;
import org.tellonce.carerecord.monitor.Signals.Signal;
import org.tellonce.platform.decision.Obligations;
import org.tellonce.platform.inbox.DeadLetters;
import org.tellonce.platform.inbox.DeadLetters.Refused;
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
 * A poll's batch is counted at a time ({@link #consume}).
 */
@ApplicationScoped
public class AccessMonitor {

  private static final Logger LOG = Logger.getLogger(AccessMonitor.class);
  static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm");

  /** The advisory locks of some rules and users ({@code rule|user}), taken in one order. */
  private static final String LOCK = """
      select count(*) from (select pg_advisory_xact_lock(h) from (
        select distinct hashtext(g) as h from unnest($1::text[]) g order by h) ordered) locked""";
  /**
   * Keeps signals (each once per event) and widens their keys' spans to them, in one statement: the signals kept now
   * (event, rule, key); one counted before is not.
   */
  private static final String KEEP = """
      with kept as (
        insert into access_signal (rule, user_name, organization, person_id, signal_key, event_id, at)
        select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                             $7::timestamptz[])
        on conflict do nothing
        returning event_id, rule, signal_key, user_name, at),
      widened as (
        insert into access_signal_span (rule, user_name, signal_key, first_at, last_at)
        select rule, user_name, signal_key, min(at), max(at) from kept group by rule, user_name, signal_key
        on conflict (rule, user_name, signal_key) do update
          set first_at = least(access_signal_span.first_at, excluded.first_at),
              last_at = greatest(access_signal_span.last_at, excluded.last_at))
      select event_id, rule, signal_key from kept""";
  /**
   * Which of some rules and users ({@code rule|user}, each with an interval) have keys up to the threshold whose signals
   * may fall within the interval and, for a rule that counts people together, after the user's last alert under it:
   * the spans that overlap the interval. A superset of what any window counts (a span may have a gap where the window
   * is; no person filter), so below the threshold no window can reach it. It reads at most threshold spans per rule and
   * user, however many signals the user has. (A per-person rule's threshold here is one span: its alerts are per
   * person, and {@link #WINDOW} finds the person's own.)
   */
  private static final String KEYS = """
      select g.rule || '|' || g.user_name
      from unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::bigint[], $6::boolean[])
        as g(rule, user_name, from_at, to_at, threshold, per_person)
      where (select count(*) from (
               select 1 from access_signal_span p
               where p.rule = g.rule and p.user_name = g.user_name and p.first_at < g.to_at
                 and p.last_at > greatest(g.from_at, case when g.per_person then null
                                                          else (select max(a.last_at) from access_alert a
                                                                where a.rule = g.rule
                                                                  and a.user_name = g.user_name) end)
               limit g.threshold) k) >= g.threshold""";
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

  /** The most people one question to the person index may name (identity's StaffProximityResource). */
  static final int PROXIMITY_PERSONS = 100;

  @Inject MonitorConfig config;
  @Inject Outbox outbox;
  @Inject ObjectMapper mapper;
  @Inject MeterRegistry registry;
  @Inject Pool pool;
  @Inject @RestClient IdentityClient identity;

  @Inject
  @Channel("access-monitor-dead-letters")
  MutinyEmitter<String> deadLetters;

  @ConfigProperty(name = "tellonce.kafka.topic-prefix")
  String topicPrefix;

  private Cache<String, List<Signal>> proximities;
  private Signals.WorkingDay workingDay;

  @PostConstruct
  void init() {
    workingDay = new Signals.WorkingDay(config.dayStarts(), config.dayEnds(), config.zone());
    proximities = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(config.proximityCache()).build();
  }

  /** An audit event the monitor reads. */
  record Watched(ConsumerRecord<String, String> record, String eventId, String type, Seen seen) {}

  /** One thing an event gives a rule to count. */
  record Counted(Watched event, Signal signal) {
    String group() {
      return signal.rule().code + "|" + event.seen().user();
    }
  }

  /**
   * A poll's batch of audit.v1 at a time: the signals of all its events are kept in one transaction (the locks of the
   * rules and users concerned, the signals and their spans, and which of those rules and users could reach a
   * threshold, in three statements), and only where a threshold could be reached are the new signals' windows looked
   * at, one after another in their order, as an alert restarts the count. Then the namesake and colleague rules, for
   * what was shown: the person index is asked once per user for the people not already known, and while it is away
   * the batch is held (tried again until it answers); a user it refuses has their events sent to the dead-letter topic
   * with the reason, and a replay counts only what is missing. An event that cannot be read goes there too. A failure
   * that does not pass (a defect, or an event the database refuses) has the batch kept one event at a time, which
   * finds the event to dead-letter.
   */
  @Incoming("access-monitor")
  public Uni<Void> consume(ConsumerRecords<String, String> records) {
    List<Watched> watched = new ArrayList<>();
    List<Refused> refused = new ArrayList<>();
    for (ConsumerRecord<String, String> record : records) {
      String eventId = Inbox.eventId(record);
      String type = Inbox.eventType(record);
      if (eventId == null || type == null) {
        refused.add(new Refused(record, "Event without CloudEvents id or type headers"));
      } else if (Signals.WATCHED.contains(type)) {
        try {
          watched.add(new Watched(record, eventId, type, mapper.readValue(record.value(), Seen.class)));
        } catch (Exception e) {
          refused.add(new Refused(record, "Unreadable audit event " + eventId + " (" + type + ")"));
        }
      }
    }
    List<Counted> counted = new ArrayList<>();
    watched.forEach(event -> Signals.of(event.type(), event.seen(), workingDay)
        .forEach(signal -> counted.add(new Counted(event, signal))));
    List<Watched> shown = config.proximity()
        ? watched.stream().filter(event -> Signals.shown(event.type(), event.seen())).toList()
        : List.of();
    return keep(counted, refused)
        .chain(() -> proximity(shown, refused))
        .chain(found -> keep(found, refused))
        .chain(() -> DeadLetters.send(deadLetters, topicPrefix + "audit.v1.care-record.dlq", refused));
  }

  /** Keeps the signals and raises what they reach, held and tried again while the failure may pass. */
  private Uni<Void> keep(List<Counted> counted, List<Refused> refused) {
    if (counted.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<AlertEntity> raised = new ArrayList<>();
    List<Refused> failed = new ArrayList<>();
    return Transient.untilPasses("A batch of " + counted.size() + " access signals", () -> {
          raised.clear();
          failed.clear();
          return together(counted, raised).onFailure(e -> !Transient.mayPass(e)).recoverWithUni(e -> {
            LOG.warnf("A batch of %d access signals could not be kept together (%s); keeping them event by event",
                counted.size(), e.getClass().getSimpleName());
            return eventByEvent(counted, raised, failed);
          });
        })
        .invoke(() -> {
          refused.addAll(failed);
          raised.forEach(alert -> registry.counter("tellonce.access.alerts", "rule", alert.rule).increment());
        });
  }

  private Uni<Void> eventByEvent(List<Counted> counted, List<AlertEntity> raised, List<Refused> refused) {
    Map<Watched, List<Counted>> byEvent = new LinkedHashMap<>();
    counted.forEach(c -> byEvent.computeIfAbsent(c.event(), e -> new ArrayList<>()).add(c));
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (Map.Entry<Watched, List<Counted>> event : byEvent.entrySet()) {
      chain = chain.chain(() -> together(event.getValue(), raised).onFailure(e -> !Transient.mayPass(e))
          .recoverWithItem(e -> {
            refused.add(new Refused(event.getKey().record(), "The access signals could not be kept ("
                + e.getClass().getSimpleName() + ")"));
            return null;
          }));
    }
    return chain;
  }

  /** Counts the signals in one transaction, raising what they reach. */
  private Uni<Void> together(List<Counted> counted, List<AlertEntity> raised) {
    return Panache.withTransaction(() -> Panache.getSession().chain(session -> lock(session, counted)
        .chain(() -> kept(session, counted))
        .chain(kept -> reaching(session, kept).chain(groups -> {
          Uni<Void> chain = Uni.createFrom().voidItem();
          for (Counted each : kept) {
            if (groups.contains(each.group())) {
              chain = chain.chain(() -> check(session, each)).invoke(alert -> {
                if (alert != null) {
                  raised.add(alert);
                }
              }).replaceWithVoid();
            }
          }
          return chain;
        }))));
  }

  /** The locks of the rules and users concerned, in one order, so two consumers neither race nor deadlock. */
  private static Uni<Void> lock(Mutiny.Session session, List<Counted> counted) {
    String[] groups = counted.stream().map(Counted::group).distinct().toArray(String[]::new);
    return SessionSql.rows(session, LOCK, (Object) groups).replaceWithVoid();
  }

  /** Keeps each signal once per event, widening its key's span; the signals kept now (not counted before), in order. */
  private static Uni<List<Counted>> kept(Mutiny.Session session, List<Counted> counted) {
    int n = counted.size();
    String[] rules = new String[n];
    String[] users = new String[n];
    String[] organizations = new String[n];
    String[] persons = new String[n];
    String[] keys = new String[n];
    String[] events = new String[n];
    OffsetDateTime[] ats = new OffsetDateTime[n];
    for (int i = 0; i < n; i++) {
      Counted c = counted.get(i);
      Seen seen = c.event().seen();
      rules[i] = c.signal().rule().code;
      users[i] = seen.user();
      organizations[i] = seen.organization();
      persons[i] = seen.personId();
      keys[i] = c.signal().key();
      events[i] = c.event().eventId();
      ats[i] = seen.recorded().atOffset(ZoneOffset.UTC);
    }
    return SessionSql.rows(session, KEEP, rules, users, organizations, persons, keys, events, ats).map(rows -> {
      Set<String> now = new HashSet<>();
      rows.forEach(row -> now.add(row[0] + "|" + row[1] + "|" + row[2]));
      // an event delivered twice in the batch was kept once
      return counted.stream().filter(c -> now.remove(c.event().eventId() + "|" + c.signal().rule().code + "|"
          + c.signal().key())).toList();
    });
  }

  /** A rule and user, and the interval their signals are looked for in. */
  record Interval(Rule rule, String user, OffsetDateTime from, OffsetDateTime to) {
    Interval widened(Interval other) {
      return new Interval(rule, user, from.isBefore(other.from) ? from : other.from,
          to.isAfter(other.to) ? to : other.to);
    }
  }

  /** The interval in which a signal's windows may fall: a window of its rule either side of it. */
  private Interval around(Counted counted) {
    OffsetDateTime at = counted.event().seen().recorded().atOffset(ZoneOffset.UTC);
    Duration window = config.threshold(counted.signal().rule()).window();
    return new Interval(counted.signal().rule(), counted.event().seen().user(), at.minus(window), at.plus(window));
  }

  /**
   * Which rules and users, among those of the signals just kept, could reach their threshold in a window around any
   * of them: {@link #KEYS} over the batch's time span (from the earliest signal less a window to the latest plus
   * one), a superset of each signal's own, so below the threshold there no signal's window can reach it.
   */
  private Uni<Set<String>> reaching(Mutiny.Session session, List<Counted> kept) {
    Map<String, Interval> batch = new LinkedHashMap<>();
    kept.forEach(c -> batch.merge(c.group(), around(c), Interval::widened));
    return reaching(session, batch.values());
  }

  /** The rules and users ({@code rule|user}) with keys enough for their threshold in their intervals ({@link #KEYS}). */
  private Uni<Set<String>> reaching(Mutiny.Session session, Collection<Interval> intervals) {
    if (intervals.isEmpty()) {
      return Uni.createFrom().item(Set.of());
    }
    int n = intervals.size();
    String[] ruleCodes = new String[n];
    String[] userNames = new String[n];
    OffsetDateTime[] from = new OffsetDateTime[n];
    OffsetDateTime[] to = new OffsetDateTime[n];
    Long[] thresholds = new Long[n];
    Boolean[] perPerson = new Boolean[n];
    int i = 0;
    for (Interval interval : intervals) {
      Rule rule = interval.rule();
      ruleCodes[i] = rule.code;
      userNames[i] = interval.user();
      from[i] = interval.from();
      to[i] = interval.to();
      thresholds[i] = rule.perPerson() ? 1L : config.threshold(rule).count();
      perPerson[i] = rule.perPerson();
      i++;
    }
    return SessionSql.<String>column(session, KEYS, ruleCodes, userNames, from, to, thresholds, perPerson)
        .map(HashSet::new);
  }

  /**
   * Whether the person is the user's namesake or colleague, from the person index (kept a while per user and person):
   * the signals of the events that showed something. The index is asked once per user (up to its limit of people a
   * question) for the people not known yet; a user it refuses has those events refused, with the reason.
   */
  private Uni<List<Counted>> proximity(List<Watched> shown, List<Refused> refused) {
    Map<String, Set<String>> asked = new LinkedHashMap<>();
    for (Watched event : shown) {
      if (proximities.getIfPresent(proximityKey(event.seen())) == null) {
        asked.computeIfAbsent(event.seen().user(), u -> new LinkedHashSet<>()).add(event.seen().personId());
      }
    }
    Map<String, String> failed = new LinkedHashMap<>();
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (Map.Entry<String, Set<String>> user : asked.entrySet()) {
      List<String> persons = List.copyOf(user.getValue());
      for (int from = 0; from < persons.size(); from += PROXIMITY_PERSONS) {
        List<String> part = persons.subList(from, Math.min(persons.size(), from + PROXIMITY_PERSONS));
        chain = chain.chain(() -> failed.containsKey(user.getKey())
            ? Uni.createFrom().voidItem()
            : ask(user.getKey(), part).onFailure().recoverWithItem(e -> {
              failed.put(user.getKey(), "The namesake and colleague rules could not ask the person index ("
                  + e.getClass().getSimpleName() + "); replay this event once identity answers");
              return null;
            }));
      }
    }
    return chain.map(ignored -> {
      List<Counted> found = new ArrayList<>();
      for (Watched event : shown) {
        String reason = failed.get(event.seen().user());
        if (reason != null) {
          refused.add(new Refused(event.record(), reason));
          continue;
        }
        List<Signal> known = proximities.getIfPresent(proximityKey(event.seen()));
        if (known != null) {
          known.forEach(signal -> found.add(new Counted(event, signal)));
        }
      }
      return found;
    });
  }

  /** Asks the person index about some people for one user (tried again while it is away), keeping the answers. */
  private Uni<Void> ask(String user, List<String> persons) {
    return Transient.untilPasses("The namesake and colleague rules",
            () -> identity.proximity(user, new IdentityClient.Request(persons)))
        .invoke(answer -> {
          Map<String, List<Signal>> found = new LinkedHashMap<>();
          persons.forEach(person -> found.put(person, new ArrayList<>()));
          answer.persons().stream().filter(p -> found.containsKey(p.person())).forEach(p -> {
            if (p.namesake()) {
              found.get(p.person()).add(new Signal(Rule.NAMESAKE, p.person()));
            }
            if (p.colleague()) {
              found.get(p.person()).add(new Signal(Rule.COLLEAGUE, p.person()));
            }
          });
          found.forEach((person, signals) -> proximities.put(proximityKey(user, person), List.copyOf(signals)));
        })
        .replaceWithVoid();
  }

  private static String proximityKey(Seen seen) {
    return proximityKey(seen.user(), seen.personId());
  }

  private static String proximityKey(String user, String person) {
    return user + "|" + person;
  }

  /** Whether this signal, just kept, completes a window of its rule: the alert raised, or null. */
  private Uni<AlertEntity> check(Mutiny.Session session, Counted counted) {
    Seen seen = counted.event().seen();
    Rule rule = counted.signal().rule();
    MonitorConfig.Threshold threshold = config.threshold(rule);
    OffsetDateTime at = seen.recorded().atOffset(ZoneOffset.UTC);
    return reaching(session, List.of(around(counted)))
        .chain(reached -> reached.isEmpty()
            ? Uni.createFrom().nullItem()
            : SessionSql.<String>first(session, WINDOW, rule.perPerson(), (double) threshold.window().toSeconds(),
                    rule.code, seen.user(), seen.personId(), at.minus(threshold.window()),
                    at.plus(threshold.window()), at, rule.perPerson() ? 1L : (long) threshold.count())
                .chain(window -> window == null ? Uni.createFrom().nullItem() : raise(rule, seen, window)));
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
  @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> prune() {
    io.vertx.mutiny.sqlclient.Tuple before = io.vertx.mutiny.sqlclient.Tuple.of(
        OffsetDateTime.now(ZoneOffset.UTC).minus(config.keepSignals()));
    return pool.preparedQuery("delete from access_signal where at < $1").execute(before)
        .chain(() -> pool.preparedQuery("delete from access_signal_span where last_at < $1").execute(before))
        .onFailure().invoke(e -> LOG.warnf("Could not prune access signals: %s", e.getMessage()))
        .onFailure().recoverWithNull().replaceWithVoid();
  }
}
