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

/**
 * The parameters of {@code Patient/{id}/$everything}: {@code _since}, {@code _type} (the record's types, and
 * {@code Patient} for the person index's Patient), {@code _count}, the cursor. {@code types} are the record's types
 * asked for (null: all); {@code withPatient} whether the Patient is to be shown.
 */
record Everything(String personId, Set<String> types, boolean withPatient, Instant since, int count,
    SearchRequest.Cursor cursor) {

  /** Only the Patient was asked for: the record itself has nothing to add. */
  boolean onlyPatient() {
    return types != null && types.isEmpty();
  }

  static final Set<String> PARAMETERS = Set.of("_since", "_type", "_count", "_cursor");

  static Everything parse(String id, Map<String, List<String>> query) {
    for (String name : query.keySet()) {
      if (!PARAMETERS.contains(name)) {
        throw FhirException.badRequest("$everything takes " + new TreeSet<>(PARAMETERS) + "; not '" + name + "'");
      }
    }
    String personId = References.personIdParameter(id, "Patient id");
    Set<String> types = null;
    boolean withPatient = true;
    String type = SearchRequest.single(query, "_type");
    if (type != null) {
      types = new TreeSet<>(List.of(type.split(",")));
      withPatient = types.remove("Patient");
      for (String t : types) {
        if (!RecordTypes.holds(t)) {
          throw FhirException.badRequest("_type names Patient or resource types the record holds: "
              + RecordTypes.supported());
        }
      }
    }
    String since = SearchRequest.single(query, "_since");
    String cursor = SearchRequest.single(query, "_cursor");
    return new Everything(personId, types, withPatient, since == null ? null : DateRange.parse("_since", since).low(),
        SearchParameters.count(SearchRequest.single(query, "_count"), SearchRequest.DEFAULT_COUNT, SearchRequest.MAX_COUNT),
        cursor == null ? null : SearchRequest.Cursor.decode(cursor));
  }
}
