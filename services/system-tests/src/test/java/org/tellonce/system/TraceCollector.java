package org.tellonce.system;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP trace receiver (protobuf, POST /v1/traces) on the port the services export to, keeping every span it
 * is sent: the test's stand-in for an OpenTelemetry collector.
 */
final class TraceCollector implements AutoCloseable {

  /** One span as received: the service that sent it, its trace, name, kind and its attributes' values as text. */
  record Received(String service, String traceId, String name, Span.SpanKind kind, List<String> values) {}

  static final int PORT = Integer.parseInt(System.getenv().getOrDefault("TELLONCE_OTLP_PORT", "4318"));

  private final HttpServer server;
  private final List<Received> spans = new CopyOnWriteArrayList<>();

  TraceCollector() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", PORT), 16);
    server.createContext("/v1/traces", exchange -> {
      try (InputStream body = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
          ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
        keep(ExportTraceServiceRequest.parseFrom(body));
        byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
        exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
        exchange.getResponseBody().write(answer);
      } catch (IOException e) {
        exchange.sendResponseHeaders(400, -1);
      } finally {
        exchange.close();
      }
    });
    server.start();
  }

  private void keep(ExportTraceServiceRequest request) {
    for (ResourceSpans resource : request.getResourceSpansList()) {
      String service = resource.getResource().getAttributesList().stream()
          .filter(attribute -> "service.name".equals(attribute.getKey()))
          .map(KeyValue::getValue).map(value -> value.getStringValue()).findFirst().orElse("?");
      for (ScopeSpans scope : resource.getScopeSpansList()) {
        for (Span span : scope.getSpansList()) {
          List<String> values = new java.util.ArrayList<>();
          span.getAttributesList().forEach(attribute -> values.add(attribute.getKey() + "=" + attribute.getValue()));
          span.getEventsList().forEach(event -> event.getAttributesList()
              .forEach(attribute -> values.add(attribute.getKey() + "=" + attribute.getValue())));
          spans.add(new Received(service, HexFormat.of().formatHex(span.getTraceId().toByteArray()), span.getName(),
              span.getKind(), values));
        }
      }
    }
  }

  /** The spans received so far in the trace. */
  List<Received> trace(String traceId) {
    return spans.stream().filter(span -> span.traceId().equals(traceId)).toList();
  }

  /** Whether the trace has a span of this kind from this service. */
  boolean has(String traceId, String service, Span.SpanKind kind) {
    return trace(traceId).stream().anyMatch(span -> span.service().equals(service) && span.kind() == kind);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
