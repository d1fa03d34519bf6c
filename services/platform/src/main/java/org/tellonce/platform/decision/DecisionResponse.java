package org.tellonce.platform.decision;

import java.util.List;

/** The answer to {@code POST /decisions}: the person's revision and one decision per data item, in order. */
public record DecisionResponse(long revision, List<ItemDecision> decisions) {

  public static final String PERMIT = "PERMIT";
  public static final String DENY = "DENY";

  public record ItemDecision(String id, String decision, List<Reason> reasons, List<String> obligations) {
    public boolean permitted() {
      return PERMIT.equals(decision);
    }
  }

  /** Which rule decided, and why, in plain English. */
  public record Reason(String source, String text) {}
}
