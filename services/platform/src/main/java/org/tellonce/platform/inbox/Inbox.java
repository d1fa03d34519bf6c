package org.tellonce.platform.inbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.tellonce.platform.persistence.SessionSql;
import org.tellonce.platform.resilience.Transient;

/**
 * The processed-events table that makes consumers idempotent. Call {@link #firstDelivery} inside the consumer's
 * transaction: the mark and the effect commit together, so a redelivered event is recognised and skipped.
 */
@ApplicationScoped
public class Inbox {

  /** One event as a consumer sees it: its CloudEvents id and type, and its data read as {@code T}. */
  public record Event<T>(String id, String type, T data) {}

  @Inject ObjectMapper mapper;

  private static final String MARK = "insert into processed_event (consumer, event_id, processed_at)"
      + " values (:consumer, :eventId, now()) on conflict do nothing";

  /** True the first time this consumer sees the event id, false for a redelivery. */
  public Uni<Boolean> firstDelivery(String consumer, String eventId) {
    return Panache.getSession()
        .chain(session -> session.createNativeQuery(MARK)
            .setParameter("consumer", consumer)
            .setParameter("eventId", eventId)
            .executeUpdate())
        .map(inserted -> inserted == 1);
  }

  /**
   * Applies an event once: reads the record's data as {@code type}, checks it with {@code complete}, then marks it
   * processed for {@code consumer} and applies it in one transaction (a redelivery is skipped). A failure that may pass
   * (the database away for a moment) holds the event and tries again until it passes: it is not dead-lettered for a
   * fault of ours, and the offset is not committed before the effect is stored. A record without
   * CloudEvents id and type, unreadable, or not complete fails with the reason, so the channel's dead-letter strategy
   * keeps it.
   */
  public <T> Uni<Void> applyOnce(ConsumerRecord<String, String> record, String consumer, Class<T> type,
      Predicate<Event<T>> complete, Function<Event<T>, Uni<Void>> apply) {
    Event<T> event;
    try {
      event = read(record, type);
    } catch (IllegalArgumentException e) {
      return Uni.createFrom().failure(e);
    }
    if (!complete.test(event)) {
      return Uni.createFrom().failure(incomplete(record, event));
    }
    return Transient.untilPasses("Event " + event.type() + " for " + consumer, () -> Panache.withTransaction(
        () -> firstDelivery(consumer, event.id()).chain(first -> first ? apply.apply(event)
            : Uni.createFrom().voidItem())));
  }

  /**
   * Reads a record's CloudEvents id and type and its data as {@code type}; an IllegalArgumentException says why it
   * cannot be read (the dead-letter reason), without the data itself.
   */
  public <T> Event<T> read(ConsumerRecord<String, String> record, Class<T> type) {
    String eventId = eventId(record);
    String eventType = eventType(record);
    if (eventId == null || eventType == null) {
      throw new IllegalArgumentException("Event without the CloudEvents ce_id and ce_type headers");
    }
    try {
      return new Event<>(eventId, eventType, mapper.readValue(record.value(), type));
    } catch (Exception e) {
      throw new IllegalArgumentException("Unreadable event " + eventId + " (" + eventType + ") on " + record.topic(),
          e);
    }
  }

  /** The reason an event that lacks fields its type needs is refused. */
  public static IllegalArgumentException incomplete(ConsumerRecord<?, ?> record, Event<?> event) {
    return new IllegalArgumentException("Event " + event.id() + " (" + event.type() + ") on " + record.topic()
        + " lacks the fields its type needs");
  }

  /**
   * Marks a batch of events processed for {@code consumer}, inside the caller's transaction; answers the ids seen for
   * the first time (an id repeated in the batch, or delivered before, is not among them).
   */
  public Uni<Set<String>> firstDeliveries(String consumer, List<String> eventIds) {
    if (eventIds.isEmpty()) {
      return Uni.createFrom().item(Set.of());
    }
    return Panache.getSession()
        .chain(session -> SessionSql.<String>column(session, "insert into processed_event (consumer, event_id,"
            + " processed_at) select $1, e, now() from unnest($2::text[]) e on conflict do nothing returning event_id",
            consumer, eventIds.toArray(new String[0])))
        .map(HashSet::new);
  }

  /** The CloudEvents id of a record in binary mode ({@code ce_id} header), or null when it has none. */
  public static String eventId(ConsumerRecord<?, ?> record) {
    return header(record, "ce_id");
  }

  /** The CloudEvents type of a record in binary mode ({@code ce_type} header), or null when it has none. */
  public static String eventType(ConsumerRecord<?, ?> record) {
    return header(record, "ce_type");
  }

  /** A header of the record as text, or null when it has none. */
  public static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
