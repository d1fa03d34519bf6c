package org.tellonce.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/** Runs {@link PolicyEvaluatorBench} with JMH and writes the report (nanoseconds per operation, per item). */
public final class EvaluatorReport {

  private EvaluatorReport() {}

  public static void main(String[] args) throws Exception {
    BenchSupport.quietLogging();
    Path report = Path.of(System.getProperty("bench.report", "target/bench/policy-evaluator.md"));
    Options options = new OptionsBuilder().include(PolicyEvaluatorBench.class.getSimpleName()).build();
    Collection<RunResult> results = new Runner(options).run();
    StringBuilder md = new StringBuilder("# Consent evaluation in-process (JMH)\n\n")
        .append("| benchmark | mean | ± (99.9%) | per item |\n|---|---|---|---|\n");
    for (RunResult result : results) {
      String name = result.getParams().getBenchmark();
      name = name.substring(name.lastIndexOf('.') + 1);
      double mean = result.getPrimaryResult().getScore();
      double error = result.getPrimaryResult().getScoreError();
      int items = name.equals("batchOf50") ? 50 : 1;
      md.append("| ").append(name).append(" | %.0f ns | %.0f ns | %.2f µs |\n".formatted(mean, error,
          mean / items / 1000.0));
    }
    System.out.print(md);
    Files.createDirectories(report.toAbsolutePath().getParent());
    Files.writeString(report, md.toString());
  }
}
