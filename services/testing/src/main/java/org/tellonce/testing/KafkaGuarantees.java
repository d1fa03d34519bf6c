package org.tellonce.testing;

import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the effective configuration of a running service's Kafka clients and names every setting that could lose an
 * acknowledged event or apply one twice: producers must wait for all in-sync replicas ({@code acks=all}) and be
 * idempotent; consumers must not commit on their own ({@code enable.auto.commit=false}: an offset is committed only
 * after the event's effect is stored).
 */
public final class KafkaGuarantees {

  private KafkaGuarantees() {}

  public static List<String> problems(KafkaClientService kafka) {
    List<String> problems = new ArrayList<>();
    if (kafka.getProducerChannels().isEmpty()) {
      problems.add("no producer channel: nothing was checked");
    }
    for (String channel : kafka.getProducerChannels()) {
      Map<String, ?> config = kafka.getProducer(channel).configuration();
      if (!Set.of("all", "-1").contains(String.valueOf(config.get("acks")))) {
        problems.add("producer " + channel + ": acks=" + config.get("acks") + ", not all");
      }
      if (!"true".equals(String.valueOf(config.get("enable.idempotence")))) {
        problems.add("producer " + channel + ": enable.idempotence=" + config.get("enable.idempotence"));
      }
    }
    for (String channel : kafka.getConsumerChannels()) {
      for (var consumer : kafka.<Object, Object>getConsumers(channel)) {
        Object autoCommit = consumer.configuration().get("enable.auto.commit");
        if (!"false".equals(String.valueOf(autoCommit))) {
          problems.add("consumer " + channel + ": enable.auto.commit=" + autoCommit);
        }
      }
    }
    return problems;
  }
}
