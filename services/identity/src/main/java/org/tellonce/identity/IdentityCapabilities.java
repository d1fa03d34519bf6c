package org.tellonce.identity;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
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
    Map<String, String> patient = new LinkedHashMap<>();
    patient.put("identifier", "token");
    patient.put("family", "string");
    patient.put("given", "string");
    patient.put("birthdate", "date");
    patient.put("address-postalcode", "string");
    patient.put("gender", "token");
    patient.put("_id", "token");
    return List.of(
        new ResourceCapability("Patient", List.of("create", "read", "update", "search-type"), patient),
        new ResourceCapability("CareTeam", List.of("create", "read", "update"), Map.of()));
  }

  @Override
  public List<String> operations() {
    return List.of("match", "merge", "unmerge", "ihe-pix");
  }
}
