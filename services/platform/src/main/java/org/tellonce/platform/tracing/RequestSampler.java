package org.tellonce.platform.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Which traces are kept: every trace that starts with work arriving (an HTTP request to the API, an event from
 * Kafka) and everything inside it, following the caller's sampling decision when it sends one (W3C traceparent).
 * Background work that starts a trace of its own is dropped: the outbox relay and the schedulers poll the database
 * every second and would otherwise fill the collector with one-query traces; health, metrics and OpenAPI requests
 * ({@code /q/}) are not traced either.
 */
@Singleton
public class RequestSampler implements Sampler {

  private static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");

  private final Sampler sampler = Sampler.parentBased(new Sampler() {
    @Override
    public SamplingResult shouldSample(Context parent, String traceId, String name, SpanKind kind,
        Attributes attributes, List<LinkData> links) {
      boolean arriving = (kind == SpanKind.SERVER && !String.valueOf(attributes.get(URL_PATH)).startsWith("/q/"))
          || kind == SpanKind.CONSUMER;
      return arriving ? SamplingResult.recordAndSample() : SamplingResult.drop();
    }

    @Override
    public String getDescription() {
      return "ArrivingWork";
    }
  });

  @Override
  public SamplingResult shouldSample(Context parent, String traceId, String name, SpanKind kind,
      Attributes attributes, List<LinkData> links) {
    return sampler.shouldSample(parent, traceId, name, kind, attributes, links);
  }

  @Override
  public String getDescription() {
    return sampler.getDescription();
  }
}
