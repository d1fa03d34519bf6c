package org.tellonce.platform.persistence;

import java.io.Serializable;
import java.util.Objects;

/**
 * The key of a stored FHIR resource: its type and id. Entities use it as {@code @IdClass} with two {@code @Id} fields
 * named {@code resourceType} and {@code id}.
 */
public class ResourceKey implements Serializable {

  public String resourceType;
  public String id;

  public ResourceKey() {}

  public ResourceKey(String resourceType, String id) {
    this.resourceType = resourceType;
    this.id = id;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ResourceKey key && Objects.equals(key.resourceType, resourceType)
        && Objects.equals(key.id, id);
  }

  @Override
  public int hashCode() {
    return Objects.hash(resourceType, id);
  }
}
