package org.tellonce.carerecord;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tellonce.carerecord.record.RecordTypes;
import org.tellonce.carerecord.search.SearchParams;
import org.tellonce.platform.fhir.ServerCapabilities;

@ApplicationScoped
public class CareRecordCapabilities implements ServerCapabilities {

  static final List<String> INTERACTIONS = List.of("create", "read", "vread", "update", "delete", "history-instance",
      "search-type");

  @Override
  public String title() {
    return "tellonce care-record: the shared care record, consent-gated";
  }

  @Override
  public List<ResourceCapability> resources() {
    List<ResourceCapability> resources = RecordTypes.supported().stream().map(type -> {
      Map<String, String> parameters = new LinkedHashMap<>();
      parameters.put(RecordTypes.personElement(type), "reference");
      parameters.put("_id", "token");
      parameters.put("_lastUpdated", "date");
      SearchParams.of(type).values().forEach(p -> parameters.put(p.name(), p.kind().fhir));
      List<String> interactions = RecordTypes.PROVENANCE.equals(type)
          ? List.of("read", "vread", "history-instance", "search-type")
          : INTERACTIONS;
      return new ResourceCapability(type, interactions, parameters);
    }).collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new));
    // The audit trail, for privacy officers: who accessed a person's record.
    resources.add(new ResourceCapability("AuditEvent", List.of("read", "search-type"), Map.of("patient",
        "reference")));
    return resources;
  }

  @Override
  public List<String> systemInteractions() {
    return List.of("transaction", "batch");
  }

  @Override
  public List<String> operations() {
    return List.of("Patient-everything", "https://fhir.tellonce.org/OperationDefinition/Task-overdue");
  }
}
