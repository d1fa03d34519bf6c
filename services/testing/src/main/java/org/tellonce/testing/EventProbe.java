package org.tellonce.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

/** Reads what really went out on a Kafka topic, from the beginning, to check the events a test caused. */
public final class EventProbe {

  /** One event as received: its key, CloudEvents headers ({@code ce_*} and content-type) and JSON data. */
  public record Event(String topic, String key, Map<String, String> headers, String data) {
    public String header(String name) {
      return headers.get(name);
    }
  }

  private EventProbe() {}

  public static String bootstrapServers() {
    return ConfigProvider.getConfig().getOptionalValue("kafka.bootstrap.servers", String.class)
        .orElse("127.0.0.1:" + (System.getenv("TELLONCE_KAFKA_PORT") == null ? "19092" : System.getenv("TELLONCE_KAFKA_PORT")));
  }

  /**
   * Publishes a CloudEvent in binary mode, as a tellonce service or a partner system would; {@code ceId} may be null to
   * send a malformed event without an id.
   */
  public static void publish(String topic, String key, String ceId, String type, String data) {
    publish(topic, key, ceId, type, "urn:tellonce:test", data);
  }

  /** As {@link #publish(String, String, String, String, String)}, from the given CloudEvents source. */
  public static void publish(String topic, String key, String ceId, String type, String source, String data) {
    publishAll(topic, List.of(new Outgoing(key, ceId, type, source, data)));
  }

  /** One event to publish: its key, CloudEvents id (null: none), type and source, and its data. */
  public record Outgoing(String key, String ceId, String type, String source, String data) {}

  /** Publishes the events in order with one producer, together, and waits until the broker has every one. */
  public static void publishAll(String topic, List<Outgoing> events) {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (Outgoing event : events) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, event.key(), event.data());
        record.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_source", event.source().getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_type", event.type().getBytes(StandardCharsets.UTF_8));
        record.headers().add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
        if (event.ceId() != null) {
          record.headers().add("ce_id", event.ceId().getBytes(StandardCharsets.UTF_8));
        }
        sent.add(producer.send(record));
      }
      for (java.util.concurrent.Future<?> each : sent) {
        each.get();
      }
    } catch (Exception e) {
      throw new IllegalStateException("Could not publish a test event to " + topic, e);
    }
  }

  /**
   * Every event on the topic stamped at or after {@code since} (from the beginning when null), to the end offsets at
   * the time of the call. On a stack kept between runs a topic may hold millions of earlier events: they are skipped
   * by their timestamps (the broker's index) instead of being read and held.
   */
  public static List<Event> all(String topic, Instant since) {
    List<Event> found = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = reader()) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer.partitionsFor(topic, Duration.ofSeconds(10))
          .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      if (since != null) {
        seekTo(consumer, partitions, since, ends);
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(250))) {
          found.add(event(record));
        }
      }
    }
    return found;
  }

  /** Moves each partition to its first record stamped at or after {@code since} (its end when there is none). */
  private static void seekTo(KafkaConsumer<String, String> consumer, List<TopicPartition> partitions, Instant since,
      Map<TopicPartition, Long> ends) {
    Map<TopicPartition, Long> at = new HashMap<>();
    partitions.forEach(p -> at.put(p, since.toEpochMilli()));
    consumer.offsetsForTimes(at).forEach((partition, offset) ->
        consumer.seek(partition, offset == null ? ends.get(partition) : offset.offset()));
  }

  /** A consumer of text records that commits nothing: it reads, it takes nothing from anyone. */
  private static KafkaConsumer<String, String> reader() {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    return new KafkaConsumer<>(config);
  }

  private static Event event(ConsumerRecord<String, String> record) {
    Map<String, String> headers = new HashMap<>();
    for (Header header : record.headers()) {
      headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
    }
    return new Event(record.topic(), record.key(), headers, record.value());
  }

  /** Waits up to {@code timeout} for the events on {@code topic} that match; answers all matching ones seen. */
  public static List<Event> await(String topic, Predicate<Event> match, int atLeast, Duration timeout) {
    return await(topic, null, match, atLeast, timeout);
  }

  /**
   * As {@link #await(String, Predicate, int, Duration)}, reading only the events stamped at or after {@code since}
   * (from the beginning when null): on a topic holding millions of events (a store that benchmarks have filled), a
   * read from the beginning does not reach the new ones in time.
   */
  public static List<Event> await(String topic, Instant since, Predicate<Event> match, int atLeast,
      Duration timeout) {
    List<Event> found = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<String, String> consumer = reader()) {
      List<TopicPartition> partitions = new ArrayList<>();
      while (partitions.isEmpty() && System.nanoTime() < deadline) {
        consumer.partitionsFor(topic, Duration.ofSeconds(5))
            .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      if (since != null) {
        seekTo(consumer, partitions, since, consumer.endOffsets(partitions));
      }
      while (found.size() < atLeast && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(250))) {
          Event event = event(record);
          if (match.test(event)) {
            found.add(event);
          }
        }
      }
    }
    return found;
  }
}
