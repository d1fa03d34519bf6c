package org.tellonce.platform.outbox;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes outbox rows to Kafka as CloudEvents (binary mode), in order, and marks them sent once the broker has
 * acknowledged them; a failure rolls the batch back and it is sent again (consumers are idempotent by event id).
 *
 * <p>One replica relays at a time: a batch is taken under a transaction-scoped advisory lock ({@link #TURN}), tried
 * without waiting, so the replica whose turn it is not skips the tick. Replicas that each took a batch of their own
 * (disjoint, with {@code SKIP LOCKED}) and sent them at once could publish a person's later event before an earlier
 * one; taken in turn, a batch is sent, acknowledged and marked sent before the next is read, and the order of the
 * outbox is the order on every partition.
 *
 * <p>A batch's events are handed to the producer in order, all at once, and the batch is marked sent when every one
 * is acknowledged (the idempotent producer keeps each partition's order, retries included); while batches come back
 * full, the next follows at once (up to {@value #MAX_BATCHES_PER_TICK} a tick), so a backlog drains at the producer's
 * pace rather than a batch a second. (Awaiting each acknowledgement before the next send capped a service at about
 * 85 events a second, and audit events of busy reads queued behind for minutes.)
 */
@ApplicationScoped
public class OutboxRelay {

  public static final String CHANNEL = "outbox";

  /** How many full batches one tick of the relay sends before it lets the next tick carry on. */
  static final int MAX_BATCHES_PER_TICK = 50;

  private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

  /**
   * The advisory lock a replica holds while it relays (per database, so per service): "tellonce" in ASCII, outside the
   * range of the 32-bit keys the services lock otherwise.
   */
  public static final long TURN = 0x74656C6C6F6E6365L;

  private static final String TAKE_TURN = "select pg_try_advisory_xact_lock($1)";
  private static final String SELECT_BATCH = "select position, event_id, topic, event_key, type, subject, payload,"
      + " occurred_at, trace_parent from outbox where sent_at is null order by position limit $1 for update skip locked";
  private static final String MARK_SENT = "update outbox set sent_at = now() where position = any($1)";

  @Inject Pool pool;

  @Inject
  @Channel(CHANNEL)
  MutinyEmitter<String> emitter;

  @ConfigProperty(name = "tellonce.kafka.topic-prefix", defaultValue = "tellonce.")
  String topicPrefix;

  @ConfigProperty(name = "tellonce.outbox.batch-size", defaultValue = "200")
  int batchSize;

  @ConfigProperty(name = "quarkus.application.name")
  String source;

  @Scheduled(
      every = "${tellonce.outbox.interval:1s}",
      delayed = "1s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      // not before the application has started: until then the channel may not be connected to Kafka yet
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> relay() {
    return Uni.createFrom().deferred(this::relayBatch)
        .repeat().whilst(sent -> sent == batchSize)
        .select().first(MAX_BATCHES_PER_TICK)
        .collect().last()
        .onFailure()
        .invoke(e -> LOG.warnf("Outbox relay failed, the batch will be sent again: %s", e.toString()))
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }

  /** Sends one batch, when no other replica is relaying; answers how many events were published. */
  public Uni<Integer> relayBatch() {
    return pool.withTransaction(connection -> connection
        .preparedQuery(TAKE_TURN)
        .execute(Tuple.of(TURN))
        .chain(turn -> turn.iterator().next().getBoolean(0) ? sendBatch(connection) : Uni.createFrom().item(0)));
  }

  private Uni<Integer> sendBatch(SqlConnection connection) {
    return connection
        .preparedQuery(SELECT_BATCH)
        .execute(Tuple.of(batchSize))
        .onItem()
        .transformToUni(rows -> {
          List<Row> batch = new ArrayList<>();
          rows.forEach(batch::add);
          if (batch.isEmpty()) {
            return Uni.createFrom().item(0);
          }
          return Multi.createFrom()
              .iterable(batch)
              .onItem()
              .transformToUni(this::send)
              .merge(batch.size())
              .collect()
              .asList()
              .onItem()
              .transformToUni(positions -> markSent(connection, positions));
        });
  }

  private Uni<Long> send(Row row) {
    long position = row.getLong("position");
    OutgoingKafkaRecordMetadata<String> kafka = OutgoingKafkaRecordMetadata.<String>builder()
        .withTopic(topicPrefix + row.getString("topic"))
        .withKey(row.getString("event_key"))
        .build();
    OffsetDateTime occurredAt = row.getOffsetDateTime("occurred_at");
    String traceParent = row.getString("trace_parent");
    var cloudEventBuilder = OutgoingCloudEventMetadata.<String>builder()
        .withId(row.getUUID("event_id").toString())
        .withType(row.getString("type"))
        .withSource(URI.create("urn:tellonce:" + source))
        .withSubject(row.getString("subject"))
        .withDataContentType("application/json")
        .withTimestamp(occurredAt.toZonedDateTime());
    Message<String> message = Message.of(row.getString("payload")).addMetadata(kafka);
    if (traceParent != null) {
      // CloudEvents distributed tracing (ce_traceparent: where the event was made) and the producer span's parent, so
      // a consumer's span joins the trace of the request that caused the event.
      cloudEventBuilder.withExtension(TraceParents.HEADER, traceParent);
      var cause = TraceParents.context(traceParent);
      message = message.addMetadata(TracingMetadata.with(cause, cause));
    }
    message = message.addMetadata(cloudEventBuilder.build());
    return emitter.sendMessage(message).replaceWith(position);
  }

  private Uni<Integer> markSent(SqlConnection connection, List<Long> positions) {
    return connection
        .preparedQuery(MARK_SENT)
        .execute(Tuple.of(positions.toArray(new Long[0])))
        .replaceWith(positions.size());
  }
}
