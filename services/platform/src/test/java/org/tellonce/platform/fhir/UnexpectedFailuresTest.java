package org.tellonce.platform.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.Response;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class UnexpectedFailuresTest {

  final FhirExceptionMappers mappers = new FhirExceptionMappers();

  @Test
  void theStoreAwayForAMomentIs503WithWhenToTryAgain() {
    Response response = mappers.unexpected(new CompletionException(new ConnectException("Connection refused")));
    assertThat(response.getStatus()).isEqualTo(503);
    assertThat(response.getHeaderString("Retry-After")).isEqualTo("5");
    assertThat((String) response.getEntity()).contains("\"resourceType\":\"OperationOutcome\"")
        .contains("\"code\":\"transient\"").contains("safe to send again");
  }

  @Test
  void aDefectIs500WithAnIncidentAndNoDetail() {
    Response response = mappers.unexpected(new NullPointerException("secret detail"));
    assertThat(response.getStatus()).isEqualTo(500);
    assertThat(response.getHeaderString("Retry-After")).isNull();
    assertThat((String) response.getEntity()).contains("quote incident").doesNotContain("secret detail");
  }

  @Test
  void loadShedIs503ThrottledWithARetryAfterASecond() {
    Response response = mappers.fhir(FhirException.busy("The service is busy"));
    assertThat(response.getStatus()).isEqualTo(503);
    assertThat(response.getHeaderString("Retry-After")).isEqualTo("1");
    assertThat((String) response.getEntity()).contains("\"code\":\"throttled\"").contains("The service is busy");
  }

  @Test
  void aRefusalThatWillNotPassAsksForNoRetry() {
    Response unavailable = mappers.fhir(FhirException.unavailable("The consent service cannot be reached"));
    assertThat(unavailable.getHeaderString("Retry-After")).isEqualTo("5");
    Response forbidden = mappers.fhir(FhirException.forbidden("no"));
    assertThat(forbidden.getStatus()).isEqualTo(403);
    assertThat(forbidden.getHeaderString("Retry-After")).isNull();
  }
}
