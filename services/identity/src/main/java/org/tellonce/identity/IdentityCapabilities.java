package org.tellonce.identity;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import org.tellonce.platform.fhir.ServerCapabilities;

@ApplicationScoped
public class IdentityCapabilities implements ServerCapabilities {

  @Override
  public String title() {
    return "tellonce identity: person index, directory and care teams";
  }

  @Override
  public List<ResourceCapability> resources() {
    return List.of(
        new ResourceCapability("Patient", List.of("create", "read"), Map.of()),
        new ResourceCapability("CareTeam", List.of("create", "read", "update"), Map.of()));
  }
}
