package org.tellonce.referral;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import org.tellonce.platform.fhir.ServerCapabilities;

@ApplicationScoped
public class ReferralCapabilities implements ServerCapabilities {

  @Override
  public String title() {
    return "tellonce referral: routed referrals with their workflow Task: lifecycle, redirects, no wrong door";
  }

  @Override
  public List<ResourceCapability> resources() {
    return List.of(
        new ResourceCapability("ServiceRequest", List.of("create", "read"), Map.of()),
        new ResourceCapability("Task", List.of("read", "search-type"), Map.of("focus", "reference")));
  }

  @Override
  public List<String> operations() {
    return List.of("MessageHeader-process-message",
        "https://fhir.tellonce.org/OperationDefinition/Task-transition",
        "https://fhir.tellonce.org/OperationDefinition/Task-redirect",
        "https://fhir.tellonce.org/OperationDefinition/Task-discharge");
  }
}
