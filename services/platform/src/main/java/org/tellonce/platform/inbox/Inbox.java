package org.tellonce.platform.inbox;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import java.nio.charset.StandardCharsets;

/**
 * The processed-events table that makes consumers idempotent. Call {@link #firstDelivery} inside the consumer's
 * transaction: the mark and the effect commit together, so a redelivered event is recognised and skipped.
 */
@ApplicationScoped
public class Inbox {

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

  /** The CloudEvents id of a record in binary mode ({@code ce_id} header), or null when it has none. */
  public static String eventId(ConsumerRecord<?, ?> record) {
    return header(record, "ce_id");
  }

  /** The CloudEvents type of a record in binary mode ({@code ce_type} header), or null when it has none. */
  public static String eventType(ConsumerRecord<?, ?> record) {
    return header(record, "ce_type");
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
