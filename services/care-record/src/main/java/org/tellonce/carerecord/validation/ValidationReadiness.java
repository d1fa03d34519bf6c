package org.tellonce.carerecord.validation;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while the record cannot validate writes: its conformance resources (read once the service listens) could
 * not be read. Ready while they are being read and prepared, as writes wait for them and reads need none.
 */
@Readiness
@ApplicationScoped
public class ValidationReadiness implements HealthCheck {

  @Inject RecordValidator validator;

  @Override
  public HealthCheckResponse call() {
    var response = HealthCheckResponse.named("fhir-validation");
    return validator.unavailable()
        .map(reason -> response.down().withData("reason", reason).build())
        .orElseGet(() -> response.up().build());
  }
}
