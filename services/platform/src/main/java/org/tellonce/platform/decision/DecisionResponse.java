package org.tellonce.platform.decision;

import java.util.List;

/**
 * The answer to {@code POST /decisions}: the person's revision, one decision per data item, in order, and how long the
 * asker may reuse the answer ({@code leaseMillis}, 0: not at all). The consent service acknowledges a change only after
 * that long has passed since it was stored, so no answer reused within its lease can outlive an acknowledged change.
 */
public record DecisionResponse(long revision, List<ItemDecision> decisions, long leaseMillis) {

  public static final String PERMIT = "PERMIT";
  public static final String DENY = "DENY";

  /** An answer not to be reused. */
  public DecisionResponse(long revision, List<ItemDecision> decisions) {
    this(revision, decisions, 0);
  }

  public record ItemDecision(String id, String decision, List<Reason> reasons, List<String> obligations) {
    public boolean permitted() {
      return PERMIT.equals(decision);
    }
  }

  /** Which rule decided, and why, in plain English. */
  public record Reason(String source, String text) {}
}
