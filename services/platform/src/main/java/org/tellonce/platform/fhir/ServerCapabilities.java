package org.tellonce.platform.fhir;

import java.util.List;
import java.util.Map;

/** What a service serves over FHIR: each service provides one bean of this, and /fhir/metadata tells it. */
public interface ServerCapabilities {

  /**
   * A resource type with its interactions (read, vread, search-type, create, update, history-instance) and search
   * parameters (name to FHIR search parameter type, such as {@code reference} or {@code token}).
   */
  record ResourceCapability(String type, List<String> interactions, Map<String, String> searchParameters) {}

  String title();

  List<ResourceCapability> resources();

  /** Whole-system interactions, such as {@code transaction} and {@code batch}; none by default. */
  default List<String> systemInteractions() {
    return List.of();
  }

  /**
   * Extended operations by the id of their OperationDefinition, such as {@code match} or {@code Patient-everything}
   * (named {@code everything}), or the canonical URL of tellonce's own (named by the part after the type); none by
   * default.
   */
  default List<String> operations() {
    return List.of();
  }
}
