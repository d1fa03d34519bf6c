package org.tellonce.platform.outbox;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.List;

/**
 * W3C trace context as the outbox keeps it: the {@code traceparent} of the span that wrote an event, so that the relay,
 * which publishes later on its own schedule, publishes the event as part of the trace that caused it.
 */
public final class TraceParents {

  public static final String HEADER = "traceparent";

  private static final TextMapGetter<String> ONE_VALUE = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(String carrier) {
      return List.of(HEADER);
    }

    @Override
    public String get(String carrier, String key) {
      return HEADER.equals(key) ? carrier : null;
    }
  };

  private TraceParents() {}

  /** The current span's traceparent, or null when there is no valid span (tracing off, or outside any request). */
  public static String current() {
    SpanContext span = Span.current().getSpanContext();
    if (!span.isValid()) {
      return null;
    }
    return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
  }

  /** The context a traceparent names (as a remote parent), or the root context when it is absent or malformed. */
  public static Context context(String traceParent) {
    if (traceParent == null) {
      return Context.root();
    }
    return W3CTraceContextPropagator.getInstance().extract(Context.root(), traceParent, ONE_VALUE);
  }
}
