package org.tellonce.platform.decision;

import java.util.List;

/**
 * {@code POST /decisions} of the consent service: may this actor have these data about this person, for this purpose?
 * The contract between the decision point (consent) and its enforcement points (care-record, referral). With a
 * {@code recipient}, it asks "can I share this with them?": each item is answered for the recipient, and only among
 * the items the actor may see themself; nothing is disclosed by the answer.
 */
public record DecisionRequest(String subject, String purpose, RequestActor actor, List<DataItem> data,
    RequestActor recipient) {

  /** A question for the actor themself (no recipient). */
  public DecisionRequest(String subject, String purpose, RequestActor actor, List<DataItem> data) {
    this(subject, purpose, actor, data, null);
  }

  /** Who asks; only a service may ask on behalf of an actor other than the caller. */
  public record RequestActor(String organization, String user, List<String> roles) {}

  /** One piece of data: an id the caller chooses, its resource type and its security labels. */
  public record DataItem(String id, String resourceType, List<String> labels) {}
}
