package org.tellonce.consent.decision;

import java.util.List;

/** The answer to {@code POST /decisions}: the person's revision and one decision per data item, in order. */
public record DecisionResponse(long revision, List<ItemDecision> decisions) {

  public record ItemDecision(String id, String decision, List<PolicyEvaluator.Reason> reasons, List<String> obligations) {}
}
