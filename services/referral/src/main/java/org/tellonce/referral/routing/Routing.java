package org.tellonce.referral.routing;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.persistence.SessionSql;
import org.tellonce.referral.directory.TeamDirectory;

/**
 * Routing as the referral service uses it: the facts of a referral (from the referral itself and from what identity
 * told us of the person), the rules in force and the teams of the directory, to a decision.
 */
@ApplicationScoped
public class Routing {

  /** The extension on a ServiceRequest (valueCode) that states the locality, overriding the person's postcode. */
  public static final String LOCALITY = "https://fhir.tellonce.org/StructureDefinition/locality";

  /** What routing knows of a person; all null when identity has not told us of them. */
  public record Person(String id, LocalDate birthDate, String postcodeDistrict, String mergedInto) {
    static Person unknown(String id) {
      return new Person(id, null, null, null);
    }
  }

  @Inject RuleBook book;
  @Inject TeamDirectory directory;

  /** The person as routing knows them; a person merged into another is refused (422) naming the record to use. */
  public Uni<Person> person(String personId) {
    return Panache.getSession().chain(session -> SessionSql.rows(session,
            "select cast(birth_date as text), postcode_district, merged_into from person where person_id = $1",
            personId))
        .map(rows -> {
          if (rows.isEmpty()) {
            return Person.unknown(personId);
          }
          Object[] row = rows.get(0);
          return new Person(personId, row[0] == null ? null : LocalDate.parse((String) row[0]), (String) row[1],
              (String) row[2]);
        })
        .invoke(person -> {
          if (person.mergedInto() != null) {
            throw FhirException.unprocessable("Patient/" + personId + " was merged into Patient/"
                + person.mergedInto() + ": refer Patient/" + person.mergedInto() + " instead");
          }
        });
  }

  /**
   * The facts of a referral: its categories, priority and reasons, the locality it states or the person's postcode
   * district maps to, and the person's age today.
   */
  public Router.Facts facts(Set<String> categories, String priority, Set<String> reasons, String statedLocality,
      Person person) {
    RuleBook.Snapshot snapshot = book.current();
    String locality = statedLocality != null ? statedLocality
        : snapshot.localities().of(person == null ? null : person.postcodeDistrict());
    Integer age = person == null || person.birthDate() == null ? null
        : Period.between(person.birthDate(), LocalDate.now(Calendar.LONDON)).getYears();
    return new Router.Facts(categories, priority == null ? "routine" : priority, locality, age, reasons);
  }

  public Router.Decision route(Router.Facts facts, boolean explain) {
    return Router.route(book.current().rules(), facts, directory.teams(), Instant.now(), explain);
  }

  /** Counts a referral a team was just given, so that the next decisions see its room shrink. */
  public void routed(Router.Decision decision) {
    directory.routed(decision.recipientService());
  }

  /** Counts a referral a team was just given by a redirect. */
  public void routed(String serviceId) {
    directory.routed(serviceId);
  }

  public RuleBook.Status status() {
    return book.status();
  }

  public RuleBook.Snapshot snapshot() {
    return book.current();
  }

  public String singlePointOfAccess() {
    return book.current().rules().singlePointOfAccess();
  }

  /** A team of the directory by id, or null. */
  public Team team(String serviceId) {
    return directory.teams().stream().filter(t -> t.id().equals(serviceId)).findFirst().orElse(null);
  }

  /** The organisations referrals may go to: those of the directory's teams and those the rules name. */
  public SortedSet<String> organizations() {
    SortedSet<String> known = new TreeSet<>();
    RoutingRules rules = book.current().rules();
    known.add(rules.singlePointOfAccess());
    for (RoutingRules.Rule rule : rules.rules()) {
      if (rule.route().organization() != null) {
        known.add(rule.route().organization());
      }
      if (rule.route().fallback() != null) {
        known.add(rule.route().fallback());
      }
    }
    directory.teams().forEach(team -> known.add(team.organization()));
    return known;
  }
}
