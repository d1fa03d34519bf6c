package org.tellonce.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RequestSamplerTest {

  static final Attributes API = Attributes.builder().put("url.path", "/fhir/Observation/1").build();
  static final Attributes HEALTH = Attributes.builder().put("url.path", "/q/health/ready").build();

  static boolean kept(RequestSampler sampler, Context parent, String traceId, SpanKind kind, Attributes attributes) {
    return sampler.shouldSample(parent, traceId, "span", kind, attributes, List.of()).getDecision()
        == SamplingDecision.RECORD_AND_SAMPLE;
  }

  static Context callerDecided(String traceId, boolean sampled) {
    return Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(traceId, SpanId.fromLong(7),
        sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(), TraceState.getDefault())));
  }

  static String traceId(Random random) {
    return TraceId.fromLongs(random.nextLong(), random.nextLong());
  }

  @Test
  void aShareOfArrivingWorkIsKeptByTraceIdAndNoBackgroundWork() {
    RequestSampler sampler = new RequestSampler(0.1);
    Random random = new Random(42);
    int requests = 0;
    int events = 0;
    for (int i = 0; i < 10_000; i++) {
      String traceId = traceId(random);
      boolean request = kept(sampler, Context.root(), traceId, SpanKind.SERVER, API);
      // the same trace id gets the same answer, whichever service or span asks
      assertThat(kept(sampler, Context.root(), traceId, SpanKind.CONSUMER, Attributes.empty())).isEqualTo(request);
      requests += request ? 1 : 0;
      events += kept(sampler, Context.root(), traceId(random), SpanKind.CONSUMER, Attributes.empty()) ? 1 : 0;
      assertThat(kept(sampler, Context.root(), traceId, SpanKind.SERVER, HEALTH)).isFalse();
      assertThat(kept(sampler, Context.root(), traceId, SpanKind.INTERNAL, Attributes.empty())).isFalse();
      assertThat(kept(sampler, Context.root(), traceId, SpanKind.CLIENT, Attributes.empty())).isFalse();
    }
    assertThat(requests).isBetween(850, 1150);
    assertThat(events).isBetween(850, 1150);
  }

  @Test
  void theCallersDecisionIsFollowedWhateverTheShare() {
    RequestSampler none = new RequestSampler(0);
    RequestSampler all = new RequestSampler(1);
    Random random = new Random(7);
    for (int i = 0; i < 100; i++) {
      String traceId = traceId(random);
      assertThat(kept(none, callerDecided(traceId, true), traceId, SpanKind.SERVER, API)).isTrue();
      assertThat(kept(none, callerDecided(traceId, true), traceId, SpanKind.CLIENT, Attributes.empty())).isTrue();
      assertThat(kept(all, callerDecided(traceId, false), traceId, SpanKind.SERVER, API)).isFalse();
      assertThat(kept(none, Context.root(), traceId, SpanKind.SERVER, API)).isFalse();
      assertThat(kept(all, Context.root(), traceId, SpanKind.SERVER, API)).isTrue();
    }
  }

  @Test
  void aShareOutsideZeroToOneIsRefused() {
    assertThatThrownBy(() -> new RequestSampler(1.5)).hasMessageContaining("between 0 and 1");
    assertThatThrownBy(() -> new RequestSampler(Double.NaN)).hasMessageContaining("between 0 and 1");
  }
}
