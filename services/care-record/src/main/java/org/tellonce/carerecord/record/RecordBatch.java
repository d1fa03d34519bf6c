package org.tellonce.carerecord.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.tellonce.carerecord.CareRecordTopics;
import org.tellonce.carerecord.access.DataClass;
import org.tellonce.carerecord.search.Indexer;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.outbox.TraceParents;
import org.tellonce.platform.persistence.TimeOrderedIds;
import org.tellonce.platform.security.Actor;

/**
 * Stores many events' resources in one transaction, each as its recorder's own: created, or — when the recorder holds
 * one of the type with the same identifier — a new version of it, exactly as {@link RecordService} stores them one by
 * one (the current row, every version, the search index, a Provenance per version, a record.v1 event and, for a
 * safeguarding concern raised, its event), with a handful of statements per batch instead of a dozen per resource.
 *
 * <p>It takes only what needs none of the record's cross-resource rules: not the shared care plan, not an MDT
 * discussion, and no reference to another resource of the record (see {@link #takes}); the rest is stored one by one.
 * Events are marked processed in the same transaction (a redelivery changes nothing); the resources of one batch are
 * written in its order, so a later event about the same identifier is a later version.
 */
@ApplicationScoped
public class RecordBatch {

  /** One event's resource, by its recorder. */
  public record Item(String eventId, Resource resource, Actor actor) {}

  @Inject Pool pool;
  @Inject ObjectMapper mapper;

  /** True when the resource can be stored in a batch: the record's cross-resource rules have nothing to check. */
  public static boolean takes(Resource resource, String personId) {
    if (resource instanceof CarePlan || (resource instanceof Encounter encounter && MdtConventions.isMdt(encounter))) {
      return false;
    }
    for (Reference reference : Fhir.context().newTerser()
        .getAllPopulatedChildElementsOfType(resource, Reference.class)) {
      String target = Indexer.localReference(reference.getReference());
      if (target != null && !target.equals("Patient/" + personId)) {
        return false;
      }
    }
    return true;
  }

  /** The identifier a resource is matched by (its first with a value), or null. */
  public static Identifier identifier(Resource resource) {
    var identifiers = resource.getNamedProperty("identifier");
    return identifiers == null ? null : identifiers.getValues().stream()
        .filter(Identifier.class::isInstance).map(Identifier.class::cast)
        .filter(Identifier::hasValue).findFirst().orElse(null);
  }

  /** What one identifier names: the resource's type, the recorder, the identifier's system ("" for none) and value. */
  record Key(String type, String organization, String system, String value) {
    /** The lock a conditional create of this identifier takes (the same as {@link RecordService}'s). */
    long lock() {
      return RecordService.identifierLock(type, organization, system.isEmpty() ? null : system, value);
    }
  }

  /** The current row of a resource this batch writes: as found (or new), and as it will be left. */
  static final class Current {
    final String type;
    final String id;
    final String personId;
    final String sourceOrganization;
    final OffsetDateTime createdAt;
    final boolean found;
    final int foundVersion;
    RecordEntity entity;
    List<Indexer.Row> rows = List.of();

    Current(String type, String id, String personId, String sourceOrganization, OffsetDateTime createdAt,
        boolean found, int foundVersion) {
      this.type = type;
      this.id = id;
      this.personId = personId;
      this.sourceOrganization = sourceOrganization;
      this.createdAt = createdAt;
      this.found = found;
      this.foundVersion = foundVersion;
    }
  }

  /** The statements' rows, gathered while the batch is built. */
  private static final class Writes {
    final Map<String, Current> current = new LinkedHashMap<>();
    final List<Tuple> versions = new ArrayList<>();
    final List<Tuple> provenance = new ArrayList<>();
    final List<Tuple> provenanceIndex = new ArrayList<>();
    final List<Tuple> outbox = new ArrayList<>();
  }

  /**
   * Stores the items in order, in one transaction, as {@code consumer}'s processed events. Answers the reason for each
   * item it refused (by event id; those are not marked processed); every other item is stored, or was already.
   */
  public Uni<Map<String, String>> store(String consumer, List<Item> items) {
    Map<String, String> refused = new LinkedHashMap<>();
    Map<Item, Key> keys = new HashMap<>();
    Map<Item, List<String>> labels = new HashMap<>();
    for (Item item : items) {
      try {
        labels.put(item, RecordService.labels(item.resource()));
        Identifier identifier = identifier(item.resource());
        if (identifier != null) {
          String system = identifier.hasSystem() ? identifier.getSystem() : "";
          if (identifier.getValue().length() > 200 || system.length() > 200) {
            throw new IllegalArgumentException("An identifier value or system is longer than 200 characters");
          }
          keys.put(item, new Key(item.resource().fhirType(), item.actor().organization(), system,
              identifier.getValue()));
        }
      } catch (FhirException | IllegalArgumentException e) {
        refused.put(item.eventId(), e.getMessage());
      }
    }
    List<Item> taken = items.stream().filter(item -> !refused.containsKey(item.eventId())).toList();
    if (taken.isEmpty()) {
      return Uni.createFrom().item(refused);
    }
    return pool.withTransaction(connection -> firstDeliveries(connection, consumer, taken)
        .chain(first -> {
          List<Item> fresh = new ArrayList<>();
          for (Item item : taken) {
            if (first.remove(item.eventId())) {
              fresh.add(item);
            }
          }
          if (fresh.isEmpty()) {
            return Uni.createFrom().item(refused);
          }
          List<Key> wanted = fresh.stream().map(keys::get).filter(k -> k != null).distinct().toList();
          return lock(connection, wanted)
              .chain(() -> existing(connection, wanted))
              .chain(found -> {
                Writes writes = new Writes();
                Map<String, String> mismatched = build(fresh, keys, labels, found, writes);
                refused.putAll(mismatched);
                return write(connection, writes)
                    .chain(() -> mismatched.isEmpty() ? Uni.createFrom().voidItem()
                        : connection.preparedQuery("delete from processed_event where consumer = $1"
                            + " and event_id = any($2)")
                            .execute(Tuple.of(consumer, mismatched.keySet().toArray(new String[0])))
                            .replaceWithVoid())
                    .replaceWith(refused);
              });
        }));
  }

  /** Marks the events processed; answers the ids seen for the first time. */
  private static Uni<Set<String>> firstDeliveries(SqlConnection connection, String consumer, List<Item> items) {
    String[] ids = items.stream().map(Item::eventId).toArray(String[]::new);
    return connection.preparedQuery("insert into processed_event (consumer, event_id, processed_at)"
            + " select $1, e, now() from unnest($2::text[]) e on conflict do nothing returning event_id")
        .execute(Tuple.of(consumer, ids))
        .map(rows -> {
          Set<String> first = new HashSet<>();
          for (Row row : rows) {
            first.add(row.getString(0));
          }
          return first;
        });
  }

  /** Takes the conditional-create locks of the identifiers, in one order, so no two writers deadlock. */
  private static Uni<Void> lock(SqlConnection connection, List<Key> keys) {
    if (keys.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    Long[] locks = keys.stream().map(Key::lock).distinct().sorted().toArray(Long[]::new);
    return connection.preparedQuery("select 1 from (select pg_advisory_xact_lock(k) from (select k from"
            + " unnest($1::bigint[]) k order by k) ordered) locked")
        .execute(Tuple.of(locks)).replaceWithVoid();
  }

  /** The current resources the recorders hold with the identifiers (more than one per identifier is possible). */
  private static Uni<Map<Key, List<Current>>> existing(SqlConnection connection, List<Key> keys) {
    if (keys.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    return connection.preparedQuery("""
            select w.n, r.id, r.version, r.person_id, r.source_org, r.created_at
            from unnest($1::text[], $2::text[], $3::text[], $4::text[]) with ordinality as w(type, org, system, code, n)
            join record_index i on i.param = 'identifier' and i.code = w.code and i.resource_type = w.type
              and (i.system = w.system or (w.system = '' and i.system is null))
            join record_resource r on r.resource_type = i.resource_type and r.id = i.id and r.source_org = w.org
              and not r.deleted""")
        .execute(Tuple.of(keys.stream().map(Key::type).toArray(String[]::new),
            keys.stream().map(Key::organization).toArray(String[]::new),
            keys.stream().map(Key::system).toArray(String[]::new),
            keys.stream().map(Key::value).toArray(String[]::new)))
        .map(rows -> {
          Map<Key, List<Current>> found = new HashMap<>();
          for (Row row : rows) {
            Key key = keys.get(row.getLong("n").intValue() - 1);
            List<Current> list = found.computeIfAbsent(key, k -> new ArrayList<>());
            String id = row.getString("id");
            if (list.stream().noneMatch(c -> c.id.equals(id))) {
              list.add(new Current(key.type(), id, row.getString("person_id"), row.getString("source_org"),
                  row.getOffsetDateTime("created_at"), true, row.getInteger("version")));
            }
          }
          return found;
        });
  }

  /** Builds every row of the batch in order; answers the items refused (an identifier naming another person's). */
  private Map<String, String> build(List<Item> items, Map<Item, Key> keys, Map<Item, List<String>> labels,
      Map<Key, List<Current>> found, Writes writes) {
    Map<String, String> refused = new LinkedHashMap<>();
    Map<Key, Current> byKey = new HashMap<>();
    String traceParent = TraceParents.current();
    for (Item item : items) {
      Resource resource = item.resource();
      String personId = RecordTypes.personId(resource);
      Key key = keys.get(item);
      Current current = key == null ? null : byKey.get(key);
      if (current == null && key != null && found.containsKey(key)) {
        List<Current> matches = found.get(key);
        if (matches.size() > 1) {
          refused.put(item.eventId(), "The identifier matches " + matches.size() + " " + key.type()
              + " resources your organisation recorded; it must identify at most one");
          continue;
        }
        current = matches.get(0);
      }
      if (current != null && !current.personId.equals(personId)) {
        refused.put(item.eventId(), "The identifier names a " + key.type() + " your organisation recorded about"
            + " another person; an identifier names one resource");
        continue;
      }
      OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
      String organization = item.actor().organization();
      boolean created = current == null;
      if (created) {
        current = new Current(resource.fhirType(), UUID.randomUUID().toString(), personId, organization, now, false, 0);
      }
      if (key != null) {
        byKey.put(key, current);
      }
      writes.current.put(current.type + "/" + current.id, current);
      int version = current.entity == null ? current.foundVersion + 1 : current.entity.version + 1;

      RecordEntity entity = new RecordEntity();
      entity.resourceType = current.type;
      entity.id = current.id;
      entity.version = version;
      entity.personId = current.personId;
      entity.sourceOrganization = current.sourceOrganization;
      entity.createdAt = current.createdAt;
      entity.updatedAt = now;
      entity.recordedBy = item.actor().username();
      entity.labels = DataClass.canonical(labels.get(item));
      resource.setId(entity.id);
      resource.getMeta().setVersionId(String.valueOf(version)).setLastUpdated(Date.from(now.toInstant()));
      resource.getMeta().getTag().removeIf(tag -> RecordService.SOURCE_ORGANIZATION_TAG.equals(tag.getSystem()));
      resource.getMeta().addTag(RecordService.SOURCE_ORGANIZATION_TAG, entity.sourceOrganization, null);
      List<Indexer.Row> rows = Indexer.rows(resource);
      Instant clinicalDate = Indexer.clinicalDate(resource, rows);
      entity.dateLow = clinicalDate == null ? null : clinicalDate.atOffset(ZoneOffset.UTC);
      entity.resource = Fhir.encode(resource);
      current.entity = entity;
      current.rows = rows;
      writes.versions.add(versionRow(entity));

      String operation = created && version == 1 ? "CREATE" : "UPDATE";
      Provenance provenance = RecordService.provenance(entity, resource, item.actor(), organization, operation, now);
      RecordEntity provenanceRow = RecordService.provenanceRow(provenance, entity, now);
      writes.provenance.add(currentRow(provenanceRow));
      writes.versions.add(versionRow(provenanceRow));
      for (Indexer.Row row : Indexer.rows(provenance)) {
        writes.provenanceIndex.add(indexRow(provenanceRow.resourceType, provenanceRow.id, row));
      }

      writes.outbox.add(outboxRow(entity.personId, "CREATE".equals(operation) ? CareRecordTopics.RECORD_CREATED
          : CareRecordTopics.RECORD_UPDATED, RecordService.event(entity, resource), now, traceParent));
      if (RecordService.raisesSafeguarding(entity, resource, operation)) {
        writes.outbox.add(outboxRow(entity.personId, CareRecordTopics.SAFEGUARDING_RAISED,
            RecordService.safeguarding(entity, resource, organization), now, traceParent));
      }
    }
    return refused;
  }

  private static final String CURRENT_COLUMNS = "resource_type, id, version, person_id, source_org, labels, resource,"
      + " recorded_by, deleted, created_at, updated_at, date_low";

  /** The statements, each once for the whole batch. */
  private static Uni<Void> write(SqlConnection connection, Writes writes) {
    List<Tuple> inserts = new ArrayList<>(writes.provenance);
    List<Tuple> updates = new ArrayList<>();
    List<Tuple> index = new ArrayList<>(writes.provenanceIndex);
    List<String> reindexedTypes = new ArrayList<>();
    List<String> reindexedIds = new ArrayList<>();
    for (Current current : writes.current.values()) {
      RecordEntity e = current.entity;
      if (current.found) {
        updates.add(Tuple.from(java.util.Arrays.asList(e.resourceType, e.id, e.version, e.labels, e.resource,
            e.recordedBy, e.updatedAt, e.dateLow, current.foundVersion)));
        reindexedTypes.add(e.resourceType);
        reindexedIds.add(e.id);
      } else {
        inserts.add(currentRow(e));
      }
      for (Indexer.Row row : current.rows) {
        index.add(indexRow(e.resourceType, e.id, row));
      }
    }
    Uni<Void> chain = Uni.createFrom().voidItem();
    if (!updates.isEmpty()) {
      chain = chain.chain(() -> connection.preparedQuery("update record_resource set version = $3, labels = $4,"
              + " resource = $5, recorded_by = $6, updated_at = $7, date_low = $8"
              + " where resource_type = $1 and id = $2 and version = $9 and not deleted")
          .executeBatch(updates).invoke(RecordBatch::requireEveryRowChanged).replaceWithVoid())
          .chain(() -> connection.preparedQuery("delete from record_index i using unnest($1::text[], $2::text[])"
              + " as d(resource_type, id) where i.resource_type = d.resource_type and i.id = d.id")
              .execute(Tuple.of(reindexedTypes.toArray(new String[0]), reindexedIds.toArray(new String[0])))
              .replaceWithVoid());
    }
    if (!inserts.isEmpty()) {
      chain = chain.chain(() -> connection.preparedQuery("insert into record_resource (" + CURRENT_COLUMNS
              + ") select * from unnest($1::text[], $2::text[], $3::integer[], $4::text[], $5::text[], $6::text[],"
              + " $7::text[], $8::text[], $9::boolean[], $10::timestamptz[], $11::timestamptz[], $12::timestamptz[])")
          .execute(columns(inserts, CURRENT_TYPES)).replaceWithVoid());
    }
    chain = chain.chain(() -> connection.preparedQuery("insert into record_version (resource_type, id, version,"
            + " person_id, source_org, labels, resource, recorded_by, deleted, recorded_at) select * from unnest("
            + "$1::text[], $2::text[], $3::integer[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],"
            + " $9::boolean[], $10::timestamptz[])")
        .execute(columns(writes.versions, VERSION_TYPES)).replaceWithVoid());
    if (!index.isEmpty()) {
      chain = chain.chain(() -> connection.preparedQuery("insert into record_index (entry, resource_type, id, param,"
              + " system, code, low, high) select nextval('record_index_seq'), * from unnest($1::text[], $2::text[],"
              + " $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[])")
          .execute(columns(index, INDEX_TYPES)).replaceWithVoid());
    }
    return chain.chain(() -> connection.preparedQuery("insert into outbox (event_id, topic, event_key, type, subject,"
            + " payload, occurred_at, trace_parent) select * from unnest($1::uuid[], $2::text[], $3::text[],"
            + " $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[])")
        .execute(columns(writes.outbox, OUTBOX_TYPES)).replaceWithVoid());
  }

  private static final Class<?>[] CURRENT_TYPES = {String.class, String.class, Integer.class, String.class,
      String.class, String.class, String.class, String.class, Boolean.class, OffsetDateTime.class,
      OffsetDateTime.class, OffsetDateTime.class};
  private static final Class<?>[] VERSION_TYPES = java.util.Arrays.copyOf(CURRENT_TYPES, 10);
  private static final Class<?>[] INDEX_TYPES = {String.class, String.class, String.class, String.class, String.class,
      OffsetDateTime.class, OffsetDateTime.class};
  private static final Class<?>[] OUTBOX_TYPES = {UUID.class, String.class, String.class, String.class, String.class,
      String.class, OffsetDateTime.class, String.class};

  /**
   * The rows as one tuple of column arrays (of the given element types), for an insert that selects from
   * {@code unnest}: one statement, parsed, planned and executed once, whatever the number of rows (a batch of rows
   * sent as one execution each cost PostgreSQL most of its time during ingestion).
   */
  static Tuple columns(List<Tuple> rows, Class<?>... types) {
    List<Object> columns = new ArrayList<>(types.length);
    for (int c = 0; c < types.length; c++) {
      Object[] column = (Object[]) java.lang.reflect.Array.newInstance(types[c], rows.size());
      for (int r = 0; r < rows.size(); r++) {
        column[r] = rows.get(r).getValue(c);
      }
      columns.add(column);
    }
    return Tuple.from(columns);
  }

  /** An update that found its row changed since it was read: another writer got there first; the batch is retried. */
  private static void requireEveryRowChanged(RowSet<Row> rows) {
    for (RowSet<Row> each = rows; each != null; each = each.next()) {
      if (each.rowCount() != 1) {
        throw new ConcurrentChange();
      }
    }
  }

  /** Another writer changed a resource of the batch while it was being written. */
  public static final class ConcurrentChange extends RuntimeException {
    ConcurrentChange() {
      super("A resource of the batch was changed by another writer at the same moment", null, false, false);
    }
  }

  private static Tuple currentRow(RecordEntity e) {
    return Tuple.from(java.util.Arrays.asList(e.resourceType, e.id, e.version, e.personId, e.sourceOrganization,
        e.labels, e.resource, e.recordedBy, false, e.createdAt, e.updatedAt, e.dateLow));
  }

  private static Tuple versionRow(RecordEntity e) {
    return Tuple.from(java.util.Arrays.asList(e.resourceType, e.id, e.version, e.personId, e.sourceOrganization,
        e.labels, e.resource, e.recordedBy, false, e.updatedAt));
  }

  private static Tuple indexRow(String type, String id, Indexer.Row row) {
    return Tuple.from(java.util.Arrays.asList(type, id, row.param(), row.system(), row.code(),
        row.low() == null ? null : row.low().atOffset(ZoneOffset.UTC),
        row.high() == null ? null : row.high().atOffset(ZoneOffset.UTC)));
  }

  private Tuple outboxRow(String personId, String type, Object data, OffsetDateTime now, String traceParent) {
    try {
      return Tuple.from(java.util.Arrays.asList(TimeOrderedIds.next(), CareRecordTopics.RECORD, personId, type,
          personId, mapper.writeValueAsString(data), now, traceParent));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Event data of type " + type + " cannot be encoded", e);
    }
  }
}
