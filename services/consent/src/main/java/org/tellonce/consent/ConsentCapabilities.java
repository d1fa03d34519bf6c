package org.tellonce.consent;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import org.tellonce.platform.fhir.ServerCapabilities;

@ApplicationScoped
public class ConsentCapabilities implements ServerCapabilities {

  @Override
  public String title() {
    return "tellonce consent: Consent records and the consent decision point";
  }

  @Override
  public List<ResourceCapability> resources() {
    return List.of(new ResourceCapability("Consent",
        List.of("create", "read", "update", "vread", "history-instance", "search-type"),
        Map.of("patient", "reference", "status", "token", "actor", "reference")));
  }
}
