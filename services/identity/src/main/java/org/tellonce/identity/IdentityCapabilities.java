package org.tellonce.identity;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tellonce.identity.directory.DirectoryKind;
import org.tellonce.identity.directory.DirectoryService;
import org.tellonce.platform.fhir.ServerCapabilities;

@ApplicationScoped
public class IdentityCapabilities implements ServerCapabilities {

  @Inject DirectoryService directory;

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
    List<ResourceCapability> resources = new ArrayList<>();
    resources.add(new ResourceCapability("Patient", List.of("create", "read", "update", "search-type"), patient));
    resources.add(new ResourceCapability("CareTeam", List.of("create", "read", "update", "search-type"),
        Map.of("patient", "reference", "status", "token")));
    for (DirectoryKind<?> kind : directory.kinds().values()) {
      Map<String, String> parameters = new LinkedHashMap<>(kind.searchParameters());
      parameters.put("_id", "token");
      parameters.put("active", "token");
      resources.add(new ResourceCapability(kind.type(), List.of("create", "read", "update", "search-type"), parameters));
    }
    return resources;
  }

  @Override
  public List<String> operations() {
    return List.of("match", "merge", "unmerge", "ihe-pix", "care-team-summary");
  }
}
