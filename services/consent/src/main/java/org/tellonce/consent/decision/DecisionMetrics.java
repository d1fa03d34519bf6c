package org.tellonce.consent.decision;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Prometheus metrics of the decision point: item decisions by outcome and by the rule that decided
 * ({@code tellonce_decisions_total{decision, rule}}), break-glass grants and uses. The rule is the reason's source
 * without ids ({@code policy/direct-care}, {@code consent}, {@code break-glass}, {@code objection-override}), so the
 * label set stays small; no person data is ever a label.
 */
@ApplicationScoped
public class DecisionMetrics {

  @Inject MeterRegistry registry;

  public void decided(List<PolicyEvaluator.Decision> decisions) {
    for (PolicyEvaluator.Decision decision : decisions) {
      registry.counter("tellonce.decisions", "decision", decision.permit() ? "permit" : "deny",
          "rule", rule(decision.reasons().get(0).source())).increment();
    }
  }

  public void breakGlassGranted(String organization) {
    registry.counter("tellonce.break.glass.grants", "organization", organization).increment();
  }

  public void breakGlassUsed(String organization, int items) {
    registry.counter("tellonce.break.glass.uses", "organization", organization).increment();
    registry.counter("tellonce.break.glass.items", "organization", organization).increment(items);
  }

  /** A reason's source as a metric label: policy rules as they are, record-specific sources by kind only. */
  static String rule(String source) {
    if (source.startsWith("policy/") || source.startsWith("question/")) {
      return source;
    }
    int slash = source.indexOf('/');
    return (slash < 0 ? source : source.substring(0, slash)).toLowerCase(java.util.Locale.ROOT);
  }
}
