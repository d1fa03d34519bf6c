package org.tellonce.carerecord.record;

import org.tellonce.platform.fhir.FhirException;

/** The {@code If-None-Exist} header of a conditional create: {@code identifier=system|value} (or a value alone). */
final class ConditionalCreate {

  record Identifier(String system, String value) {}

  private ConditionalCreate() {}

  static Identifier identifier(String header) {
    String query = header.trim();
    int q = query.indexOf('?');
    if (q >= 0) {
      query = query.substring(q + 1);
    }
    if (!query.startsWith("identifier=") || query.contains("&")) {
      throw FhirException.badRequest("If-None-Exist must be identifier=system|value: integrations make creates"
          + " idempotent by their own identifier");
    }
    String token = java.net.URLDecoder.decode(query.substring("identifier=".length()),
        java.nio.charset.StandardCharsets.UTF_8);
    int bar = token.indexOf('|');
    String system = bar < 0 ? null : token.substring(0, bar);
    String value = bar < 0 ? token : token.substring(bar + 1);
    if (value.isBlank() || value.length() > 200 || (system != null && system.length() > 200)) {
      throw FhirException.badRequest("If-None-Exist needs an identifier value of at most 200 characters");
    }
    return new Identifier(system == null || system.isBlank() ? null : system, value);
  }
}
