package org.tellonce.identity.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.KafkaGuarantees;
import org.tellonce.testing.TellonceInfra;

/** The effective Kafka client settings: producers acks=all and idempotent, consumers commit only after the effect. */
@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "identity_test"))
class KafkaClientsTest {

  @Inject KafkaClientService kafka;

  @Test
  void noClientCanLoseOrRepeatAnAcknowledgedEvent() {
    assertThat(KafkaGuarantees.problems(kafka)).isEmpty();
  }
}
