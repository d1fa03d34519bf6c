package org.tellonce.carerecord.search;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The search parameters the shared record supports for each resource type, with the elements each one indexes. The
 * names are FHIR R4's where R4 defines one for the type; {@code category} and {@code status} of Flag are tellonce's
 * (risk and safeguarding flags are found by them). The first date parameter of a type is its clinical date, which
 * {@code _sort=date} orders by.
 */
public final class SearchParams {

  public enum Kind {
    TOKEN("token"), DATE("date"), REFERENCE("reference");

    public final String fhir;

    Kind(String fhir) {
      this.fhir = fhir;
    }
  }

  /** One parameter: its kind and the element paths (dotted, from the resource) whose values it indexes. */
  public record Param(String name, Kind kind, List<String> paths) {}

  /** Parameters every type has, served from the resource row itself. */
  public static final Set<String> COMMON = Set.of("_id", "_lastUpdated");

  private static final Map<String, Map<String, Param>> BY_TYPE = new TreeMap<>();

  static {
    type("AllergyIntolerance",
        token("code", "code"), token("category", "category"), token("clinical-status", "clinicalStatus"),
        token("verification-status", "verificationStatus"), token("identifier", "identifier"),
        date("date", "recordedDate"), date("onset", "onset"));
    type("Condition",
        token("code", "code"), token("category", "category"), token("clinical-status", "clinicalStatus"),
        token("verification-status", "verificationStatus"), token("identifier", "identifier"),
        date("onset-date", "onset"), date("recorded-date", "recordedDate"), reference("encounter", "encounter"));
    type("MedicationStatement",
        token("code", "medication"), token("category", "category"), token("status", "status"),
        token("identifier", "identifier"), date("effective", "effective"), reference("context", "context"),
        reference("part-of", "partOf"));
    type("Observation",
        token("code", "code"), token("category", "category"), token("status", "status"),
        token("identifier", "identifier"), date("date", "effective"), reference("encounter", "encounter"),
        reference("part-of", "partOf"));
    type("Encounter",
        token("type", "type"), token("class", "class"), token("status", "status"), token("identifier", "identifier"),
        date("date", "period"), reference("episode-of-care", "episodeOfCare"), reference("part-of", "partOf"));
    type("EpisodeOfCare",
        token("type", "type"), token("status", "status"), token("identifier", "identifier"), date("date", "period"));
    type("CarePlan",
        token("category", "category"), token("status", "status"), token("intent", "intent"),
        token("identifier", "identifier"), date("date", "period"), reference("goal", "goal"),
        reference("encounter", "encounter"), reference("activity-reference", "activity.reference"),
        reference("part-of", "partOf"));
    type("Goal",
        token("category", "category"), token("lifecycle-status", "lifecycleStatus"),
        token("achievement-status", "achievementStatus"), token("identifier", "identifier"),
        date("start-date", "start"), date("target-date", "target.due"), reference("addresses", "addresses"));
    type("Flag",
        token("code", "code"), token("category", "category"), token("status", "status"),
        token("identifier", "identifier"), date("date", "period"), reference("encounter", "encounter"));
    type("Task",
        token("code", "code"), token("status", "status"), token("business-status", "businessStatus"),
        token("priority", "priority"), token("identifier", "identifier"), date("authored-on", "authoredOn"),
        date("period", "executionPeriod"), date("due", "restriction.period"), token("owner", "owner.identifier"),
        reference("focus", "focus"), reference("encounter", "encounter"), reference("part-of", "partOf"));
    type("DocumentReference",
        token("type", "type"), token("category", "category"), token("status", "status"),
        token("identifier", "identifier"), date("date", "date"), reference("encounter", "context.encounter"));
    type("QuestionnaireResponse",
        token("status", "status"), token("identifier", "identifier"), date("authored", "authored"),
        reference("encounter", "encounter"), reference("part-of", "partOf"));
    type("RelatedPerson",
        token("relationship", "relationship"), token("identifier", "identifier"));
    type("Provenance",
        date("recorded", "recorded"), reference("target", "target"));
  }

  private SearchParams() {}

  private static void type(String type, Param... params) {
    Map<String, Param> byName = new LinkedHashMap<>();
    for (Param param : params) {
      byName.put(param.name(), param);
    }
    BY_TYPE.put(type, byName);
  }

  private static Param token(String name, String... paths) {
    return new Param(name, Kind.TOKEN, List.of(paths));
  }

  private static Param date(String name, String... paths) {
    return new Param(name, Kind.DATE, List.of(paths));
  }

  private static Param reference(String name, String... paths) {
    return new Param(name, Kind.REFERENCE, List.of(paths));
  }

  /** The indexed parameters of a type, in declaration order (empty for a type without any). */
  public static Map<String, Param> of(String type) {
    return BY_TYPE.getOrDefault(type, Map.of());
  }

  public static Param find(String type, String name) {
    return of(type).get(name);
  }

  /** The parameter that is the type's clinical date ({@code _sort=date}), or null when it has none. */
  public static Param clinicalDate(String type) {
    return of(type).values().stream().filter(p -> p.kind() == Kind.DATE).findFirst().orElse(null);
  }

  /** {@code Type:param} of every reference parameter: what {@code _include} and {@code _revinclude} may name. */
  public static Set<String> includes() {
    Set<String> includes = new TreeSet<>();
    BY_TYPE.forEach((type, params) -> params.values().stream()
        .filter(p -> p.kind() == Kind.REFERENCE)
        .forEach(p -> includes.add(type + ":" + p.name())));
    return includes;
  }
}
