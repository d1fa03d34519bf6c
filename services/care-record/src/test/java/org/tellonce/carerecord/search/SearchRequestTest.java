package org.tellonce.carerecord.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tellonce.platform.fhir.FhirException;

class SearchRequestTest {

  static final Set<String> PERSON = Set.of("subject", "patient");

  static Map<String, List<String>> query(String... pairs) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      query.computeIfAbsent(pairs[i], k -> new java.util.ArrayList<>()).add(pairs[i + 1]);
    }
    return query;
  }

  @Test
  void readsCriteriaSortCountAndIncludes() {
    SearchRequest request = SearchRequest.parse("CarePlan", query("subject", "Patient/p-1", "status", "active,draft",
        "date", "ge2024-01-01", "date", "lt2025", "_sort", "-date", "_count", "5", "_include", "CarePlan:goal",
        "_revinclude", "Provenance:target"), PERSON, false);
    assertThat(request.personId()).isEqualTo("p-1");
    assertThat(request.criteria()).hasSize(3);
    assertThat(request.criteria().get(0).values()).containsExactly("active", "draft");
    assertThat(request.sort()).isEqualTo(SearchRequest.Sort.DATE_DESC);
    assertThat(request.count()).isEqualTo(5);
    assertThat(request.includes()).extracting(i -> i.param().name()).containsExactly("goal");
    assertThat(request.revincludes()).extracting(SearchRequest.Include::sourceType).containsExactly("Provenance");
  }

  @Test
  void refusesWhatItDoesNotUnderstandUnlessLenient() {
    assertThatThrownBy(() -> SearchRequest.parse("Condition", query("subject", "p", "colour", "red"), PERSON, false))
        .isInstanceOf(FhirException.class).hasMessageContaining("colour").hasMessageContaining("clinical-status");
    SearchRequest lenient = SearchRequest.parse("Condition", query("subject", "p", "colour", "red"), PERSON, true);
    assertThat(lenient.ignored()).containsExactly("colour");
    assertThat(lenient.criteria()).isEmpty();
  }

  @Test
  void refusesBadValues() {
    assertThatThrownBy(() -> SearchRequest.parse("Observation", query("subject", "p", "date", "yesterday"), PERSON,
        false)).hasMessageContaining("date");
    assertThatThrownBy(() -> SearchRequest.parse("Observation", query("subject", "p", "date", "xx2024"), PERSON,
        false)).hasMessageContaining("prefix");
    assertThatThrownBy(() -> SearchRequest.parse("Observation", query("subject", "p", "_cursor", "!!"), PERSON,
        false)).hasMessageContaining("_cursor");
    assertThatThrownBy(() -> SearchRequest.parse("Observation", query("subject", "p", "code:exact", "x"), PERSON,
        false)).hasMessageContaining(":exact");
    assertThatThrownBy(() -> SearchRequest.parse("Observation", query("code", "x"), PERSON, false))
        .hasMessageContaining("by person");
    assertThatThrownBy(() -> SearchRequest.parse("RelatedPerson", query("subject", "p", "_sort", "date"), PERSON,
        false)).hasMessageContaining("_lastUpdated");
    assertThatThrownBy(() -> SearchRequest.parse("Observation", query("subject", "p", "_include", "CarePlan:goal"),
        PERSON, false)).hasMessageContaining("_include");
    assertThatThrownBy(() -> SearchRequest.parse("Observation", query("subject", "p' or 1=1 --"), PERSON, false))
        .hasMessageContaining("subject");
  }

  @Test
  void aCursorRoundTripsAndIsOpaque() {
    SearchRequest.Cursor cursor = new SearchRequest.Cursor(1_700_000_000_123_456L, "Observation", "o-1");
    assertThat(SearchRequest.Cursor.decode(cursor.encode())).isEqualTo(cursor);
    assertThat(cursor.encode()).doesNotContain("Observation");
  }

  @Test
  void datePrefixesCompareRanges() {
    DatePrefix march = DatePrefix.parse("date", "2024-03");
    assertThat(march.prefix()).isEqualTo("eq");
    assertThat(march.range().low()).isEqualTo(java.time.Instant.parse("2024-03-01T00:00:00Z"));
    assertThat(DatePrefix.parse("date", "ge2024-03-01T10:00:00Z").prefix()).isEqualTo("ge");
    assertThat(march.condition("l", "h", () -> "$1", () -> "$2")).isEqualTo("(l >= $1 and h <= $2)");
    assertThat(DatePrefix.parse("date", "sa2024").condition("l", "h", () -> "$1", () -> "$2")).isEqualTo("l > $2");
  }
}
