package org.tellonce.referral.routing;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A team that receives referrals (a HealthcareService of the identity directory) as routing sees it, with how many
 * open referrals it holds now.
 */
public record Team(String id, String name, String organization, boolean active, Set<String> categories,
    Set<String> localities, Integer capacity, List<Closure> notAvailable, int open) {

  /** A period when the team is closed; an open end means until further notice. */
  public record Closure(Instant start, Instant end) {
    boolean covers(Instant now) {
      return (start == null || !now.isBefore(start)) && (end == null || now.isBefore(end));
    }
  }

  /** Whether the team is closed at {@code now}: inactive, or in a notAvailable period. */
  public Closure closedAt(Instant now) {
    return notAvailable.stream().filter(c -> c.covers(now)).findFirst().orElse(null);
  }

  /** Room left: null when the team states no capacity (not limited). */
  public Integer room() {
    return capacity == null ? null : Math.max(0, capacity - open);
  }

  public Team withOpen(int count) {
    return new Team(id, name, organization, active, categories, localities, capacity, notAvailable, count);
  }
}
