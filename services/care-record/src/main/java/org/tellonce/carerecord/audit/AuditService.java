package org.tellonce.carerecord.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.orm.runtime.PersistenceUnitUtil;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.runtime.SessionOperations;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hibernate.reactive.mutiny.Mutiny;
import org.tellonce.carerecord.CareRecordTopics;
import org.tellonce.carerecord.access.AccessGate.Visibility;
import org.tellonce.carerecord.access.Disclosure;
import org.tellonce.platform.decision.Obligations;
import org.tellonce.platform.outbox.TraceParents;
import org.tellonce.platform.persistence.SessionSql;
import org.tellonce.platform.persistence.TimeOrderedIds;
import org.tellonce.platform.security.Actor;

/**
 * Writes an AuditEvent (IHE BALP style: who, which organisation, which person, what, purpose, outcome, which decision)
 * for every access, disclosure or denial, to the store and to audit.v1. Entries form a hash chain: each carries the
 * hash of the one before, so a changed or removed entry breaks every hash after it.
 */
@ApplicationScoped
public class AuditService {

  static final String GENESIS = "0".repeat(64);
  static final String USER_SYSTEM = "https://tellonce.org/Id/user";
  private static final long CHAIN_LOCK = 7_411_001L;
  /** The trail is this many hash chains, by person: accesses to different people rarely wait on each other. */
  static final int CHAINS = 16;
  static final int VERIFY_PAGE = 1000;

  public enum Outcome {
    SUCCESS(AuditEventOutcome._0, "permitted"),
    DENIED(AuditEventOutcome._4, "denied"),
    FAILURE(AuditEventOutcome._8, "failed");

    final AuditEventOutcome fhir;
    final String word;

    Outcome(AuditEventOutcome fhir, String word) {
      this.fhir = fhir;
      this.word = word;
    }
  }

  /**
   * One access: who, about whom, which interaction, for what purpose, which resources, with what outcome, and the
   * consent decision it was gated by (null for writes and failures).
   */
  public record Access(
      Actor actor, String personId, String interaction, String purpose, Outcome outcome, List<String> entities,
      Visibility visibility) {

    /** The consent revision the decision was taken at. */
    public Long revision() {
      return visibility == null || visibility == Visibility.NOTHING ? null : visibility.revision();
    }

    /** Whether something was shown: the decision's grounds and notices apply only then. */
    boolean disclosed() {
      return outcome == Outcome.SUCCESS && !entities.isEmpty() && revision() != null;
    }

    /**
     * Why it was disclosed: the rule each permitted class rests on (its first reason: policy/direct-care, Consent/{id},
     * break-glass/{id}, objection-override/{id}), those that ask for a notice first. Ids, never content.
     */
    public List<String> grounds() {
      if (!disclosed()) {
        return List.of();
      }
      java.util.SortedSet<String> notable = new java.util.TreeSet<>();
      java.util.SortedSet<String> others = new java.util.TreeSet<>();
      visibility.decisions().values().stream()
          .filter(d -> d.permitted() && Disclosure.understood(d) && d.reasons() != null && !d.reasons().isEmpty())
          .forEach(d -> (Obligations.notified(d.obligations()).isEmpty() ? others : notable)
              .add(d.reasons().get(0).source()));
      List<String> grounds = new java.util.ArrayList<>(notable);
      others.stream().filter(g -> !notable.contains(g)).forEach(grounds::add);
      return grounds;
    }

    /**
     * Why it was withheld: the rule each refused class rests on (policy/no-legitimate-relationship, Consent/{id},
     * policy/restricted-label …), for the privacy officer and the access monitor. Ids and rule names, never content.
     */
    public List<String> refusals() {
      if (outcome != Outcome.DENIED || visibility == null) {
        return List.of();
      }
      return visibility.decisions().values().stream()
          .filter(d -> !d.permitted() && d.reasons() != null && !d.reasons().isEmpty())
          .map(d -> d.reasons().get(0).source()).distinct().sorted().toList();
    }

    /** Who is to be told of this disclosure ({@code notify:} obligations of the permitted classes). */
    public java.util.SortedSet<String> notified() {
      java.util.SortedSet<String> audiences = new java.util.TreeSet<>();
      if (disclosed()) {
        visibility.decisions().values().stream().filter(d -> d.permitted() && Disclosure.understood(d))
            .forEach(d -> audiences.addAll(Obligations.notified(d.obligations())));
      }
      return audiences;
    }
  }

  /** The most entries one statement appends. */
  static final int GROUP = 128;

  @Inject ObjectMapper mapper;
  @Inject io.vertx.mutiny.sqlclient.Pool pool;
  @Inject MeterRegistry registry;

  private final Appender[] appenders = new Appender[CHAINS];
  private DistributionSummary groupSizes;

  @PostConstruct
  void init() {
    for (int chain = 0; chain < CHAINS; chain++) {
      appenders[chain] = new Appender();
    }
    groupSizes = DistributionSummary.builder("tellonce.audit.append.entries")
        .description("Audit entries of reads appended together in one statement").register(registry);
  }

  /** The chain of a person's entries (entries about no one are in chain 0). */
  static int chain(String personId) {
    return personId == null ? 0 : Math.floorMod(personId.hashCode(), CHAINS);
  }

  /** One entry to append, worked out: the columns of its row, its audit.v1 event and the notification, if any. */
  record Entry(int chain, String id, OffsetDateTime recorded, String person, String user, String organization,
      String action, String outcome, String purpose, Long revision, String resource, String trace, UUID auditEvent,
      String subject, String auditPayload, UUID notifyEvent, String notifyKey, String notifyPayload) {}

  /**
   * Appends the access to its person's chain, with its audit.v1 event (and the privacy officer's notification when the
   * decision asks for one), in one statement (the database's audit_append_all). Inside a transaction (a write) it
   * commits with it; otherwise (a read) on its own, before anything is disclosed, together with the other reads'
   * entries for the same chain that arrive while the one before is being written ({@link Appender}).
   */
  public Uni<Void> record(Access access) {
    Entry entry = entry(access);
    // the session of the request or event, if it has one open; a read by id has none (and opens none here)
    Mutiny.Session session = SessionOperations.getCurrentSession(PersistenceUnitUtil.DEFAULT_PERSISTENCE_UNIT_NAME);
    if (session != null && session.currentTransaction() != null) {
      return SessionSql.first(session, APPEND, parameters(List.of(entry))).replaceWithVoid();
    }
    return appenders[entry.chain()].append(entry);
  }

  private Entry entry(Access access) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    List<String> grounds = access.grounds();
    List<String> refusals = access.refusals();
    String id = TimeOrderedIds.next().toString();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("auditEventId", id);
    data.put("recorded", now.toString());
    data.put("personId", access.personId());
    data.put("user", access.actor().username());
    data.put("organization", access.actor().organization());
    data.put("interaction", access.interaction());
    data.put("purpose", access.purpose());
    data.put("outcome", access.outcome().word);
    data.put("entities", access.entities());
    data.put("revision", access.revision());
    if (!grounds.isEmpty()) {
      data.put("grounds", grounds);
    }
    if (!refusals.isEmpty()) {
      data.put("withheldOn", refusals);
    }
    // keyed and subjected by the person; an access that reached no known person (a read of a missing id) by its entry
    String subject = access.personId() == null ? id : access.personId();
    Map<String, Object> notification = notification(access, id, now, grounds);
    return new Entry(chain(access.personId()), id, now, access.personId(), access.actor().username(),
        access.actor().organization(), access.interaction(), access.outcome().word, access.purpose(),
        access.revision(), AuditEventJson.write(id, access, now, grounds, refusals), TraceParents.current(),
        TimeOrderedIds.next(), subject, json(data), TimeOrderedIds.next(), access.personId(),
        notification == null ? null : json(notification));
  }

  static final String APPEND = "select audit_append_all($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,"
      + " $15, $16, $17, $18, $19, $20, $21, $22, $23)";

  /** The parameters of audit_append_all for entries of one chain, in their order. */
  static Object[] parameters(List<Entry> entries) {
    int n = entries.size();
    int chain = entries.get(0).chain();
    String[] ids = new String[n];
    OffsetDateTime[] recorded = new OffsetDateTime[n];
    String[] persons = new String[n];
    String[] users = new String[n];
    String[] organizations = new String[n];
    String[] actions = new String[n];
    String[] outcomes = new String[n];
    String[] purposes = new String[n];
    Long[] revisions = new Long[n];
    String[] resources = new String[n];
    String[] traces = new String[n];
    UUID[] auditEvents = new UUID[n];
    String[] subjects = new String[n];
    String[] auditPayloads = new String[n];
    UUID[] notifyEvents = new UUID[n];
    String[] notifyKeys = new String[n];
    String[] notifyPayloads = new String[n];
    for (int i = 0; i < n; i++) {
      Entry e = entries.get(i);
      if (e.chain() != chain) {
        throw new IllegalArgumentException("Entries of chains " + chain + " and " + e.chain() + " given together");
      }
      ids[i] = e.id();
      recorded[i] = e.recorded();
      persons[i] = e.person();
      users[i] = e.user();
      organizations[i] = e.organization();
      actions[i] = e.action();
      outcomes[i] = e.outcome();
      purposes[i] = e.purpose();
      revisions[i] = e.revision();
      resources[i] = e.resource();
      traces[i] = e.trace();
      auditEvents[i] = e.auditEvent();
      subjects[i] = e.subject();
      auditPayloads[i] = e.auditPayload();
      notifyEvents[i] = e.notifyEvent();
      notifyKeys[i] = e.notifyKey();
      notifyPayloads[i] = e.notifyPayload();
    }
    return new Object[] {CHAIN_LOCK + chain, (short) chain, ids, recorded, persons, users, organizations, actions,
        outcomes, purposes, revisions, resources, traces, auditEvents, CareRecordTopics.AUDIT,
        CareRecordTopics.AUDIT_RECORDED, subjects, auditPayloads, notifyEvents, CareRecordTopics.NOTIFICATION,
        CareRecordTopics.NOTIFICATION_TYPE, notifyKeys, notifyPayloads};
  }

  /**
   * The reads' entries of one chain, written a group at a time: while one group is being written (one statement, one
   * lock, one commit), the entries that arrive wait, and go together as the next (at most {@link #GROUP} at once).
   * A lone read's entry goes at once. Each read goes on, on its own context, when its group is committed, and fails
   * if its group fails.
   */
  final class Appender {
    private List<Waiting> waiting = new ArrayList<>();
    private boolean writing;

    /** An entry waiting, and who waits for it. */
    private record Waiting(Entry entry, Context context, UniEmitter<? super Void> emitter) {
      void done(Throwable failure) {
        Runnable tell = failure == null ? () -> emitter.complete(null) : () -> emitter.fail(failure);
        if (context == null) {
          tell.run();
        } else {
          context.runOnContext(ignored -> tell.run());
        }
      }
    }

    Uni<Void> append(Entry entry) {
      return Uni.createFrom().emitter(emitter -> {
        boolean start;
        synchronized (this) {
          waiting.add(new Waiting(entry, Vertx.currentContext(), emitter));
          start = !writing;
          writing = true;
        }
        if (start) {
          writeNext();
        }
      });
    }

    private void writeNext() {
      List<Waiting> group;
      synchronized (this) {
        if (waiting.isEmpty()) {
          writing = false;
          return;
        }
        if (waiting.size() <= GROUP) {
          group = waiting;
          waiting = new ArrayList<>();
        } else {
          group = new ArrayList<>(waiting.subList(0, GROUP));
          waiting = new ArrayList<>(waiting.subList(GROUP, waiting.size()));
        }
      }
      groupSizes.record(group.size());
      Tuple parameters;
      try {
        parameters = Tuple.from(List.of(parameters(group.stream().map(Waiting::entry).toList())));
      } catch (RuntimeException e) {
        written(group, e);
        return;
      }
      pool.preparedQuery(APPEND).execute(parameters).subscribe()
          .with(rows -> written(group, null), failure -> written(group, failure));
    }

    /** Tells the group's reads how their write went, then writes the entries that waited meanwhile. */
    private void written(List<Waiting> group, Throwable failure) {
      group.forEach(w -> w.done(failure));
      writeNext();
    }
  }

  private String json(Map<String, Object> data) {
    try {
      return mapper.writeValueAsString(data);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("An audit event's data cannot be encoded", e);
    }
  }

  /**
   * Carries out the decision's {@code notify:privacy-officer}: the privacy officer of the organisation the caller acts
   * for is told of the disclosure (break-glass, or over an overridden objection), in the same transaction as its
   * audit entry; null when no one is to be told. Audiences this service does not know were refused as denials before
   * anything was shown.
   */
  private static Map<String, Object> notification(Access access, String auditEventId, OffsetDateTime now,
      List<String> grounds) {
    if (!access.notified().contains(Obligations.PRIVACY_OFFICER) || access.actor().organization() == null) {
      return null;
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("auditEventId", auditEventId);
    data.put("recorded", now.toString());
    data.put("personId", access.personId());
    data.put("audience", Obligations.PRIVACY_OFFICER);
    data.put("organization", access.actor().organization());
    data.put("user", access.actor().username());
    data.put("interaction", access.interaction());
    data.put("purpose", access.purpose());
    data.put("grounds", grounds);
    data.put("entities", access.entities());
    return data;
  }

  static String hash(String previousHash, String resource) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(previousHash.getBytes(StandardCharsets.UTF_8));
      digest.update(resource.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** A person's audit trail, newest first, from before the given position. */
  @WithSession
  public Uni<List<AuditEntity>> trail(String personId, long before, int limit) {
    return AuditEntity.<AuditEntity>find("personId = ?1 and position < ?2 order by position desc", personId, before)
        .page(0, limit).list();
  }

  @WithSession
  public Uni<AuditEntity> find(String id) {
    return AuditEntity.find("id", id).firstResult();
  }

  /** How one chain stands: how many entries were checked, and the position of the first broken one (or null). */
  public record ChainReport(int chain, long entries, boolean intact, Long firstBrokenPosition) {}

  /** Recomputes every hash of every chain, a page at a time. */
  public Uni<List<ChainReport>> verify() {
    Uni<List<ChainReport>> reports = Uni.createFrom().item(new java.util.ArrayList<>());
    for (int chain = 0; chain < CHAINS; chain++) {
      int c = chain;
      reports = reports.chain(list -> verify(c, 0, GENESIS, 0).map(report -> {
        list.add(report);
        return list;
      }));
    }
    return reports;
  }

  private Uni<ChainReport> verify(int chain, long after, String previous, long checked) {
    return pool.preparedQuery("select position, resource, previous_hash, hash from audit_event"
            + " where chain = $1 and position > $2 order by position limit $3")
        .execute(Tuple.of((short) chain, after, VERIFY_PAGE))
        .chain(rows -> {
          String last = previous;
          long position = after;
          long count = checked;
          for (io.vertx.mutiny.sqlclient.Row row : rows) {
            position = row.getLong("position");
            count++;
            if (!row.getString("previous_hash").equals(last)
                || !row.getString("hash").equals(hash(last, row.getString("resource")))) {
              return Uni.createFrom().item(new ChainReport(chain, count, false, position));
            }
            last = row.getString("hash");
          }
          if (rows.size() < VERIFY_PAGE) {
            return Uni.createFrom().item(new ChainReport(chain, count, true, null));
          }
          return verify(chain, position, last, count);
        });
  }
}
