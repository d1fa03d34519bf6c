package org.tellonce.platform.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import jakarta.inject.Singleton;

/**
 * Keeps person data out of the traces: a search's query string names the person (an NHS number, a name, a birth
 * date), so spans keep the path and route of a request but never its query — {@code url.query} reads "redacted" and a
 * full URL loses everything after '?'. Resource ids in paths stay (as in the access logs): they identify a record
 * only to someone who can already read it.
 */
@Singleton
public class QueryRedactor implements SpanProcessor {

  static final AttributeKey<String> URL_QUERY = AttributeKey.stringKey("url.query");
  static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
  static final AttributeKey<String> HTTP_TARGET = AttributeKey.stringKey("http.target");
  static final AttributeKey<String> HTTP_URL = AttributeKey.stringKey("http.url");
  static final String REDACTED = "redacted";
  /** The attributes that may carry a whole URL, query included. */
  static final java.util.List<AttributeKey<String>> URLS = java.util.List.of(URL_FULL, HTTP_TARGET, HTTP_URL);

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {
    if (span.getAttribute(URL_QUERY) != null) {
      span.setAttribute(URL_QUERY, REDACTED);
    }
    for (AttributeKey<String> url : URLS) {
      String value = span.getAttribute(url);
      if (value != null && value.indexOf('?') >= 0) {
        span.setAttribute(url, value.substring(0, value.indexOf('?')) + "?" + REDACTED);
      }
    }
  }

  @Override
  public boolean isStartRequired() {
    return true;
  }

  @Override
  public void onEnd(ReadableSpan span) {}

  @Override
  public boolean isEndRequired() {
    return false;
  }
}
