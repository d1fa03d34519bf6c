package org.tellonce.platform.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which traces are kept: a share ({@code tellonce.tracing.sample-ratio}, by trace id) of the traces that start with
 * work arriving (an HTTP request to the API, an event from Kafka), each with everything inside it; and always the
 * caller's decision when it sends one (a sampled W3C traceparent is followed whatever the share, so an integration
 * engine that samples a request gets its whole trace, and an event carries its request's decision on). Background work
 * that starts a trace of its own is dropped: the outbox relay and the schedulers poll the database every second and
 * would otherwise fill the collector with one-query traces; health, metrics and OpenAPI requests ({@code /q/}) are not
 * traced either.
 *
 * <p>Why a share: tracing every read cost about a fifth of care-record's throughput at four clients (spans for the
 * request, each SQL statement and the audit entry, and their export). 0.1 keeps one trace in ten; 1 keeps them all.
 */
@Singleton
public class RequestSampler implements Sampler {

  private static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");

  private final Sampler sampler;

  @Inject
  public RequestSampler(@ConfigProperty(name = "tellonce.tracing.sample-ratio", defaultValue = "0.1") double ratio) {
    if (!(ratio >= 0 && ratio <= 1)) {
      throw new IllegalArgumentException("tellonce.tracing.sample-ratio must be between 0 and 1, not " + ratio);
    }
    Sampler share = Sampler.traceIdRatioBased(ratio);
    this.sampler = Sampler.parentBased(new Sampler() {
      @Override
      public SamplingResult shouldSample(Context parent, String traceId, String name, SpanKind kind,
          Attributes attributes, List<LinkData> links) {
        boolean arriving = (kind == SpanKind.SERVER && !String.valueOf(attributes.get(URL_PATH)).startsWith("/q/"))
            || kind == SpanKind.CONSUMER;
        return arriving ? share.shouldSample(parent, traceId, name, kind, attributes, links) : SamplingResult.drop();
      }

      @Override
      public String getDescription() {
        return "ArrivingWork{" + share.getDescription() + "}";
      }
    });
  }

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
