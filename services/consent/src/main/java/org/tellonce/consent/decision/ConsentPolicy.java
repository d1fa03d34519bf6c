package org.tellonce.consent.decision;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/**
 * A person's Consent as the decision point reads it: a tree of provisions. A provision applies when every condition it
 * states matches (an empty condition matches everything); nested provisions are exceptions to their parent.
 * {@code recorded} is the day it was given; {@code objection} is set when the Consent objects to sharing for direct
 * care (implied consent), with the state of its review; {@code givenBy} says who gave it (the person by default).
 */
public record ConsentPolicy(String consentId, Provision root, LocalDate recorded, Objection objection, String givenBy) {

  public ConsentPolicy(String consentId, Provision root) {
    this(consentId, root, null, null, null);
  }

  public ConsentPolicy(String consentId, Provision root, LocalDate recorded, Objection objection) {
    this(consentId, root, recorded, objection, null);
  }

  /** Who gave the Consent, as reasons say it ("the person", "the person's attorney (Health and Welfare LPA)"). */
  public String givenBy() {
    return givenBy == null ? "the person" : givenBy;
  }

  public enum Type { PERMIT, DENY }

  /** How an objection to sharing for direct care stands: enforced while pending or upheld, not once overridden. */
  public enum Review { PENDING, UPHELD, OVERRIDDEN }

  /** An objection and its latest review (reviewer, day and reason are null while pending). */
  public record Objection(Review review, String reviewer, LocalDate reviewed, String reason) {
    public static final Objection PENDING = new Objection(Review.PENDING, null, null, null);
  }

  /** True when the person's objection stops binding direct care because it was overridden. */
  boolean overriddenFor(String purpose) {
    return objection != null && objection.review() == Review.OVERRIDDEN
        && org.tellonce.platform.decision.Purposes.DIRECT_CARE.contains(purpose);
  }

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

    /** Every organisation this provision and its nested exceptions name. */
    public java.util.SortedSet<String> namedOrganizations() {
      java.util.SortedSet<String> named = new java.util.TreeSet<>(organizations);
      exceptions.forEach(exception -> named.addAll(exception.namedOrganizations()));
      return named;
    }

    /** True when the provision names every sensitive label of the data explicitly. */
    boolean namesLabels(Item item) {
      return !securityLabels.isEmpty() && item.labels().stream()
          .filter(SecurityLabels.current().codes()::contains)
          .allMatch(securityLabels::contains);
    }
  }

  /** Who asks, for what purpose, when. */
  public record Request(String subject, String organization, String user, Set<String> roles, String purpose,
      Instant time) {}

  /** One piece of data asked about. */
  public record Item(String id, String resourceType, Set<String> labels) {}
}
