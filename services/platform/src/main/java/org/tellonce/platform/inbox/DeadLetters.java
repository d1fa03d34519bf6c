package org.tellonce.platform.inbox;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Dead letters of a consumer that takes a poll's batch at a time, and so cannot leave them to the channel's
 * dead-letter strategy (which is per record): each refused event goes to the dead-letter topic as it came (key, value,
 * headers), with the reason and where it came from, the same headers SmallRye's dead-letter queue writes.
 */
public final class DeadLetters {

  /** An event refused, and why (a reason for the partner's IT team, never the event's content). */
  public record Refused(ConsumerRecord<String, String> record, String reason) {}

  private DeadLetters() {}

  /** Sends the refused events, one after another in their order, to {@code topic} through {@code emitter}. */
  public static Uni<Void> send(MutinyEmitter<String> emitter, String topic, List<Refused> refused) {
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (Refused each : refused) {
      Message<String> message = message(topic, each);
      chain = chain.chain(() -> emitter.sendMessage(message));
    }
    return chain;
  }

  static Message<String> message(String topic, Refused refused) {
    ConsumerRecord<String, String> record = refused.record();
    RecordHeaders headers = new RecordHeaders(record.headers().toArray());
    headers.add("dead-letter-reason", bytes(refused.reason()));
    headers.add("dead-letter-topic", bytes(record.topic()));
    headers.add("dead-letter-partition", bytes(String.valueOf(record.partition())));
    headers.add("dead-letter-offset", bytes(String.valueOf(record.offset())));
    return Message.of(record.value() == null ? "" : record.value())
        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
            .withTopic(topic)
            .withKey(record.key())
            .withHeaders(headers)
            .build());
  }

  private static byte[] bytes(String value) {
    return value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
  }
}
