package org.tellonce.consent.decision;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A person's Consent as the decision point reads it: a tree of provisions. A provision applies when every condition it
 * states matches (an empty condition matches everything); nested provisions are exceptions to their parent.
 */
public record ConsentPolicy(String consentId, Provision root) {

  public enum Type { PERMIT, DENY }

  public record Provision(
      Type type,
      Set<String> organizations,
      Set<String> purposes,
      Set<String> resourceTypes,
      Set<String> securityLabels,
      Instant start,
      Instant end,
      List<Provision> exceptions) {

    boolean applies(Request request, Item item) {
      return (organizations.isEmpty() || organizations.contains(request.organization()))
          && (purposes.isEmpty() || purposes.contains(request.purpose()))
          && (resourceTypes.isEmpty() || resourceTypes.contains(item.resourceType()))
          && (securityLabels.isEmpty() || item.labels().stream().anyMatch(securityLabels::contains))
          && (start == null || !request.time().isBefore(start))
          && (end == null || request.time().isBefore(end));
    }

    /** True when the provision names the data's restricted labels explicitly. */
    boolean namesLabels(Item item) {
      return !securityLabels.isEmpty() && item.labels().stream()
          .filter(SecurityLabels.RESTRICTED::contains)
          .allMatch(securityLabels::contains);
    }
  }

  /** Who asks, for what purpose, when. */
  public record Request(String subject, String organization, String user, Set<String> roles, String purpose,
      Instant time) {}

  /** One piece of data asked about. */
  public record Item(String id, String resourceType, Set<String> labels) {}
}
