package org.tellonce.carerecord;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import org.tellonce.carerecord.record.RecordTypes;
import org.tellonce.platform.fhir.ServerCapabilities;

@ApplicationScoped
public class CareRecordCapabilities implements ServerCapabilities {

  @Override
  public String title() {
    return "tellonce care-record: the shared care record, consent-gated";
  }

  @Override
  public List<ResourceCapability> resources() {
    return RecordTypes.supported().stream()
        .map(type -> new ResourceCapability(type, List.of("create", "read", "search-type"),
            Map.of(RecordTypes.personElement(type), "reference")))
        .toList();
  }
}
