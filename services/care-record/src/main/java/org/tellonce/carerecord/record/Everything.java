package org.tellonce.carerecord.record;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tellonce.carerecord.search.DateRange;
import org.tellonce.carerecord.search.SearchRequest;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.References;
import org.tellonce.platform.fhir.SearchParameters;

/** The parameters of {@code Patient/{id}/$everything}: {@code _since}, {@code _type}, {@code _count}, the cursor. */
record Everything(String personId, Set<String> types, Instant since, int count, SearchRequest.Cursor cursor) {

  static final Set<String> PARAMETERS = Set.of("_since", "_type", "_count", "_cursor");

  static Everything parse(String id, Map<String, List<String>> query) {
    for (String name : query.keySet()) {
      if (!PARAMETERS.contains(name)) {
        throw FhirException.badRequest("$everything takes " + new TreeSet<>(PARAMETERS) + "; not '" + name + "'");
      }
    }
    String personId = References.personIdParameter(id, "Patient id");
    Set<String> types = null;
    String type = SearchRequest.single(query, "_type");
    if (type != null) {
      types = new TreeSet<>(List.of(type.split(",")));
      for (String t : types) {
        if (!RecordTypes.holds(t)) {
          throw FhirException.badRequest("_type names resource types the record holds: " + RecordTypes.supported());
        }
      }
    }
    String since = SearchRequest.single(query, "_since");
    String cursor = SearchRequest.single(query, "_cursor");
    return new Everything(personId, types, since == null ? null : DateRange.parse("_since", since).low(),
        SearchParameters.count(SearchRequest.single(query, "_count"), SearchRequest.DEFAULT_COUNT, SearchRequest.MAX_COUNT),
        cursor == null ? null : SearchRequest.Cursor.decode(cursor));
  }
}
