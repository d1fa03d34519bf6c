package org.tellonce.testing;

import static io.restassured.RestAssured.given;

import java.util.OptionalDouble;

/**
 * Reads one series from a service's {@code /q/metrics}, in either exposition format: Prometheus text, or OpenMetrics
 * (what the services answer by default), whose samples may end with an exemplar linking them to a trace
 * ({@code name{labels} 3.0 # {trace_id="…"} 1.0 1796297302.5}).
 */
public final class Metrics {

  private Metrics() {}

  /** The value of the series ({@code name{labels}} exactly as exposed) at the service under test, if it is served. */
  public static OptionalDouble value(String series) {
    return value(given().get("/q/metrics").then().statusCode(200).extract().asString(), series);
  }

  /** The value of the series in an exposition, if it is there. */
  public static OptionalDouble value(String exposition, String series) {
    return exposition.lines()
        .filter(line -> line.startsWith(series + " "))
        .mapToDouble(line -> {
          String sample = line.substring(series.length() + 1);
          int exemplar = sample.indexOf(" #");
          return Double.parseDouble((exemplar < 0 ? sample : sample.substring(0, exemplar)).trim().split(" ")[0]);
        })
        .findFirst();
  }
}
