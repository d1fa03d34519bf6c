package org.tellonce.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboards in deploy/grafana are well-formed for import (a datasource variable, every panel querying
 * through it, no two panels overlapping) and ask only for metrics the services register: every {@code tellonce_}
 * series a query names must come from a meter name in the services' sources, so renaming or removing a metric without
 * mending the dashboards fails here.
 */
class DashboardsTest {

  static final Path GRAFANA = ChartTest.CHART.resolve("../../deploy/grafana");
  static final Path SERVICES = ChartTest.CHART.resolve("../../services");
  static final Pattern TELLONCE_SERIES = Pattern.compile("\\btellonce_[a-z_]+");
  static final Pattern METER_NAME = Pattern.compile("\"(tellonce(?:\\.[a-z]+)+)\"");
  /** What Prometheus adds to a meter's name: counters, timers (histogram buckets, count, sum, max) and units. */
  static final List<String> SUFFIXES = List.of("", "_total", "_seconds", "_seconds_bucket", "_seconds_count",
      "_seconds_sum", "_seconds_max");

  static List<Path> dashboards() throws IOException {
    try (Stream<Path> files = Files.list(GRAFANA)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
  }

  /** Every Prometheus series name the services' meters can produce. */
  static Set<String> served() throws IOException {
    Set<String> series = new TreeSet<>();
    try (Stream<Path> sources = Files.walk(SERVICES)) {
      for (Path source : sources.filter(f -> f.toString().endsWith(".java") && f.toString().contains("/src/main/"))
          .toList()) {
        Matcher meter = METER_NAME.matcher(Files.readString(source));
        while (meter.find()) {
          String base = meter.group(1).replace('.', '_');
          SUFFIXES.forEach(suffix -> series.add(base + suffix));
        }
      }
    }
    return series;
  }

  @Test
  void theDashboardsAreThereAndImportable() throws IOException {
    List<Path> dashboards = dashboards();
    assertThat(dashboards).extracting(p -> p.getFileName().toString())
        .contains("partnership.json", "operations.json");
    ObjectMapper json = new ObjectMapper();
    Set<String> uids = new TreeSet<>();
    for (Path file : dashboards) {
      JsonNode dashboard = json.readTree(file.toFile());
      assertThat(uids.add(dashboard.path("uid").asText())).as(file + " has its own uid").isTrue();
      assertThat(dashboard.path("title").asText()).as(file + " title").startsWith("tellonce");
      assertThat(dashboard.path("templating").path("list").findValuesAsText("name")).contains("datasource");
      List<int[]> cells = new ArrayList<>();
      for (JsonNode panel : dashboard.path("panels")) {
        String title = file.getFileName() + ": " + panel.path("title").asText();
        assertThat(panel.path("datasource").path("uid").asText()).as(title).isEqualTo("${datasource}");
        assertThat(panel.path("targets")).as(title + " queries something").isNotEmpty();
        JsonNode grid = panel.path("gridPos");
        int x = grid.path("x").asInt();
        int y = grid.path("y").asInt();
        int w = grid.path("w").asInt();
        int h = grid.path("h").asInt();
        assertThat(x + w).as(title + " fits the 24-column grid").isLessThanOrEqualTo(24);
        for (int[] other : cells) {
          boolean overlaps = x < other[0] + other[2] && other[0] < x + w && y < other[1] + other[3] && other[1] < y + h;
          assertThat(overlaps).as(title + " overlaps another panel").isFalse();
        }
        cells.add(new int[] {x, y, w, h});
      }
    }
  }

  @Test
  void everyTellonceSeriesTheDashboardsAskForIsOneTheServicesRegister() throws IOException {
    Set<String> served = served();
    assertThat(served).as("meters found in the services").contains("tellonce_decisions_total",
        "tellonce_referral_response_seconds_bucket");
    ObjectMapper json = new ObjectMapper();
    Set<String> asked = new TreeSet<>();
    for (Path file : dashboards()) {
      for (JsonNode expr : json.readTree(file.toFile()).findValues("expr")) {
        Matcher series = TELLONCE_SERIES.matcher(expr.asText());
        while (series.find()) {
          asked.add(series.group());
        }
      }
    }
    assertThat(asked).as("series the dashboards ask for").isNotEmpty();
    assertThat(served).as("series the services register").containsAll(asked);
  }
}
