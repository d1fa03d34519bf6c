package org.tellonce.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.util.Statistics;
import org.tellonce.referral.routing.Router;

/** Runs {@link RoutingBench} with JMH and writes the report: percentiles of one decision, and decisions per second. */
public final class RoutingReport {

  private RoutingReport() {}

  public static void main(String[] args) throws Exception {
    BenchSupport.quietLogging();
    Path report = Path.of(System.getProperty("bench.report", "target/bench/routing.md"));
    RoutingBench bench = new RoutingBench();
    Router.Decision late = bench.lateMatch();
    if (!"rule-481".equals(late.rule())) {
      throw new IllegalStateException("the late-match case matched " + late.rule() + ", not rule-481");
    }
    Options options = new OptionsBuilder().include(RoutingBench.class.getSimpleName()).build();
    Collection<RunResult> results = new Runner(options).run();
    StringBuilder md = new StringBuilder("# Routing decisions in-process (JMH, 500 rules, 200 teams)\n\n")
        .append("Late match: rule ").append(late.rule()).append(" to ").append(late.recipientService())
        .append(" (").append(late.recipientOrganization()).append(").\n\n")
        .append("| benchmark | p50 | p99 | p99.9 | max | decisions/s (one thread) |\n|---|---|---|---|---|---|\n");
    for (RunResult result : results) {
      String name = result.getParams().getBenchmark();
      name = name.substring(name.lastIndexOf('.') + 1);
      Statistics stats = result.getPrimaryResult().getStatistics();
      md.append("| ").append(name).append(" | %.1f µs | %.1f µs | %.1f µs | %.0f µs | %,.0f |\n".formatted(
          stats.getPercentile(50), stats.getPercentile(99), stats.getPercentile(99.9), stats.getMax(),
          1_000_000.0 / stats.getMean()));
    }
    System.out.print(md);
    Files.createDirectories(report.toAbsolutePath().getParent());
    Files.writeString(report, md.toString());
  }
}
