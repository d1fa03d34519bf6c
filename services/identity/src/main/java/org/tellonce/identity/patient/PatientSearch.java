package org.tellonce.identity.patient;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MultivaluedMap;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Patient;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.SearchParameters;
import org.tellonce.platform.persistence.KeysetPage;
import org.tellonce.platform.security.Actor;

/**
 * Patient search over the index columns, always parameterised. A search by identifier (or {@code _id}) finds anyone,
 * following merges to the current record; a demographic search (names, birth date, postcode, gender) never returns a
 * restricted person to anyone outside the organisation that recorded them, and never returns merged-away records.
 * Results are ordered by id and paged by keyset, so following {@code next} links is stable while the index grows.
 */
@ApplicationScoped
public class PatientSearch {

  public static final Set<String> PARAMETERS = Set.of("identifier", "family", "family:exact", "given", "given:exact",
      "birthdate", "address-postalcode", "gender", "_id", "_count", "_cursor");
  static final int DEFAULT_COUNT = 20;
  static final int MAX_COUNT = 100;
  private static final Set<String> GENDERS = Set.of("male", "female", "other", "unknown");

  @Inject Pool pool;
  @Inject PersonIndex index;
  @Inject PatientRules rules;

  /** One page of the matches the caller may see, with their total and the cursor of the next page. */
  public Uni<KeysetPage<Patient>> search(MultivaluedMap<String, String> query, Actor actor) {
    Criteria criteria = new Criteria();
    for (String name : query.keySet()) {
      List<String> values = query.get(name);
      if (values.size() > 1 && !name.equals("birthdate")) {
        throw FhirException.badRequest("Search parameter '" + name + "' may be given once");
      }
    }
    int count = SearchParameters.count(query.getFirst("_count"), DEFAULT_COUNT, MAX_COUNT);
    String cursor = query.getFirst("_cursor");
    String identifier = query.getFirst("identifier");
    Uni<String> resolved = Uni.createFrom().nullItem();
    if (identifier != null) {
      resolved = resolveIdentifier(identifier);
    }
    return resolved.chain(personId -> {
      boolean byIdentity = identifier != null || query.getFirst("_id") != null;
      if (identifier != null) {
        if (personId == null) {
          return Uni.createFrom().item(KeysetPage.<Patient>empty());
        }
        criteria.add("p.id = $", personId);
      }
      if (query.getFirst("_id") != null) {
        criteria.add("p.id = $", query.getFirst("_id"));
      }
      name(criteria, "family", query);
      name(criteria, "given", query);
      List<String> birthdates = query.get("birthdate");
      if (birthdates != null) {
        for (String birthdate : birthdates) {
          birthdate(criteria, birthdate);
        }
      }
      String postcode = query.getFirst("address-postalcode");
      if (postcode != null) {
        String normalised = Demographics.normalisePostcode(postcode);
        if (normalised == null || !normalised.matches("[A-Z0-9]{2,7}")) {
          throw FhirException.badRequest("address-postalcode must be a UK postcode or its start (letters and digits)");
        }
        criteria.add("p.postcode like $", SearchParameters.escapeLike(normalised) + "%");
      }
      String gender = query.getFirst("gender");
      if (gender != null && criteria.isEmpty()) {
        throw FhirException.badRequest("gender narrows another search parameter; it cannot be searched alone");
      }
      if (gender != null) {
        if (!GENDERS.contains(gender)) {
          throw FhirException.badRequest("gender must be one of " + GENDERS);
        }
        criteria.add("p.gender = $", gender);
      }
      if (criteria.isEmpty()) {
        throw FhirException.badRequest("Give at least one of identifier, _id, family, given, birthdate or"
            + " address-postalcode: the index is not listed whole");
      }
      if (!byIdentity) {
        criteria.where.add("p.replaced_by is null");
        criteria.add("(not p.restricted or p.recorded_by = $)", actor.organization() == null ? "" : actor.organization());
      }
      return KeysetPage.query(pool, "p.id, p.resource, p.restricted, p.recorded_by", "person p", "p.id",
          String.join(" and ", criteria.where), criteria.parameters, cursor, count,
          row -> Disclosure.forActor(Fhir.parse(Patient.class, row.getString("resource")),
              row.getBoolean("restricted"), row.getString("recorded_by"), actor));
    });
  }

  /** The current record an identifier search names ({@code system|value}, or a value in any system), or null. */
  private Uni<String> resolveIdentifier(String token) {
    int bar = token.indexOf('|');
    if (bar < 0) {
      if (token.isBlank()) {
        throw FhirException.badRequest("identifier needs a value, as system|value");
      }
      return pool.preparedQuery("select person_id from person_identifier where value = $1 limit 2")
          .execute(Tuple.of(token))
          .chain(rows -> {
            if (rows.size() > 1) {
              throw FhirException.badRequest("identifier value is held in more than one system; search as system|value");
            }
            return rows.size() == 0 ? Uni.createFrom().nullItem()
                : index.current(rows.iterator().next().getString("person_id"));
          });
    }
    String system = token.substring(0, bar);
    String value = token.substring(bar + 1);
    if (system.isEmpty() || value.isEmpty()) {
      throw FhirException.badRequest("identifier must be given as system|value");
    }
    rules.checkIdentifier(system, value, "identifier");
    return index.owners(List.of(new PersonIndex.SystemValue(system, value)))
        .chain(owners -> owners.isEmpty() ? Uni.createFrom().nullItem() : index.current(owners.values().iterator().next()));
  }

  private static void name(Criteria criteria, String parameter, MultivaluedMap<String, String> query) {
    String startsWith = query.getFirst(parameter);
    String exact = query.getFirst(parameter + ":exact");
    if (startsWith != null && exact != null) {
      throw FhirException.badRequest("Give " + parameter + " or " + parameter + ":exact, not both");
    }
    String value = Demographics.normaliseName(startsWith != null ? startsWith : exact);
    if (startsWith == null && exact == null) {
      return;
    }
    if (value == null || value.length() > 100) {
      throw FhirException.badRequest(parameter + " must be a name of 1 to 100 characters");
    }
    if (exact != null) {
      criteria.add("p." + parameter + " = $", value);
    } else {
      if (value.length() < 2) {
        throw FhirException.badRequest(parameter + " needs at least two letters for a starts-with search");
      }
      criteria.add("p." + parameter + " like $", SearchParameters.escapeLike(value) + "%");
    }
  }

  /** birthdate with the FHIR prefixes eq (default), ne, lt, le, gt, ge at year, month or day precision. */
  static void birthdate(Criteria criteria, String value) {
    String prefix = "eq";
    if (value.length() > 2 && Character.isLetter(value.charAt(0))) {
      prefix = value.substring(0, 2);
      value = value.substring(2);
    }
    LocalDate from;
    LocalDate to;
    try {
      if (value.matches("\\d{4}")) {
        from = LocalDate.of(Integer.parseInt(value), 1, 1);
        to = from.plusYears(1);
      } else if (value.matches("\\d{4}-\\d{2}")) {
        from = LocalDate.parse(value + "-01");
        to = from.plusMonths(1);
      } else {
        from = LocalDate.parse(value);
        to = from.plusDays(1);
      }
    } catch (java.time.DateTimeException e) {
      throw FhirException.badRequest("birthdate must be a date as YYYY, YYYY-MM or YYYY-MM-DD, optionally after a"
          + " prefix (eq, ne, lt, le, gt, ge)");
    }
    switch (prefix) {
      case "eq" -> criteria.add2("p.birth_date >= $ and p.birth_date < $", from, to);
      case "ne" -> criteria.add2("(p.birth_date < $ or p.birth_date >= $)", from, to);
      case "lt" -> criteria.add("p.birth_date < $", from);
      case "le" -> criteria.add("p.birth_date < $", to);
      case "gt" -> criteria.add("p.birth_date >= $", to);
      case "ge" -> criteria.add("p.birth_date >= $", from);
      default -> throw FhirException.badRequest("birthdate prefix '" + prefix + "' is not supported; use eq, ne, lt, le,"
          + " gt or ge");
    }
  }


  /** SQL conditions with numbered parameters ($1, $2 …), built only from fixed text and bound values. */
  static final class Criteria {
    final List<String> where = new ArrayList<>();
    final List<Object> parameters = new ArrayList<>();

    void add(String condition, Object value) {
      parameters.add(value);
      where.add(condition.replace("$", "$" + parameters.size()));
    }

    void add2(String condition, Object first, Object second) {
      parameters.add(first);
      String numbered = condition.replaceFirst("\\$", "\\$" + parameters.size());
      parameters.add(second);
      where.add(numbered.replaceFirst("\\$(?!\\d)", "\\$" + parameters.size()));
    }

    boolean isEmpty() {
      return where.isEmpty();
    }
  }
}
