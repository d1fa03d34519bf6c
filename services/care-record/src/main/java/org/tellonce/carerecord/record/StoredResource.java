package org.tellonce.carerecord.record;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import java.util.Arrays;
import java.util.List;
import org.tellonce.carerecord.access.DataClass;

/** What the current row and every version row of a resource hold alike. */
@MappedSuperclass
public abstract class StoredResource extends PanacheEntityBase {

  @Id
  @Column(name = "resource_type")
  public String resourceType;

  @Id public String id;

  @Column(name = "person_id", nullable = false)
  public String personId;

  @Column(name = "source_org")
  public String sourceOrganization;

  /** Security label codes, distinct, sorted and comma-separated (see DataClass). */
  @Column(nullable = false)
  public String labels;

  /** The FHIR JSON of the resource as stored. */
  @Column(nullable = false, columnDefinition = "text")
  public String resource;

  @Column(name = "recorded_by")
  public String recordedBy;

  @Column(nullable = false)
  public boolean deleted;

  public List<String> labelList() {
    return labels.isEmpty() ? List.of() : Arrays.asList(labels.split(","));
  }

  public DataClass dataClass() {
    return new DataClass(resourceType, labels);
  }

  public String reference() {
    return resourceType + "/" + id;
  }
}
