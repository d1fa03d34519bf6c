package org.tellonce.carerecord.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tellonce.platform.fhir.FhirWarmUp;
import org.tellonce.testing.TellonceInfra;

/**
 * What is prepared once the service listens is prepared then, not by the first request: the FHIR context and the
 * validator's definitions. Both waited on the event that the server listens, which Quarkus fires asynchronously and
 * which their synchronous observers never received: the first write after every start waited for the definitions
 * (5-7 s), and every read benchmark ran on a heap without them.
 */
@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "care_record_test"))
class WarmUpOnListeningTest {

  @Inject RecordValidator validator;
  @Inject FhirWarmUp fhir;

  @Test
  void theValidatorIsPreparedBecauseTheServiceListens() {
    assertThat(validator.startedOnListening()).isTrue();
  }

  @Test
  void theFhirContextIsPreparedOnceTheServiceListens() throws Exception {
    fhir.done().get(60, TimeUnit.SECONDS);
  }
}
