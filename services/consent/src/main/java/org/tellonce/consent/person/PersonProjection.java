package org.tellonce.consent.person;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.tellonce.consent.revision.PersonRevisions;
import org.tellonce.platform.person.PersonAliases;

/**
 * The person index as decisions need it: whether a person is restricted (and by which organisation), and which
 * records were merged into which. A decision about a person counts the consents and care teams of every record of
 * that person; a merge or unmerge raises the revision of both records, since decisions about them change.
 */
@ApplicationScoped
public class PersonProjection {

  @Inject PersonRevisions revisions;
  @Inject PersonAliases aliases;

  /** A person's restriction: the organisation that recorded them sees their contact details, nobody else. */
  public record Restriction(boolean restricted, String recordedBy) {}

  public Uni<Void> apply(String type, PersonEvent event) {
    return switch (type) {
      case PersonAliases.REGISTERED, PersonAliases.UPDATED -> status(event);
      case PersonAliases.MERGED, PersonAliases.UNMERGED ->
          aliases.apply(type, event.mergeId(), event.sourceId(), event.targetId()).chain(() -> bumpBoth(event));
      default -> Uni.createFrom().voidItem();
    };
  }

  private Uni<Void> status(PersonEvent event) {
    return Panache.getSession().chain(session -> session.createNativeQuery("""
            insert into person_status (person_id, version, restricted, recorded_by, birth_date)
            values (:person, :version, :restricted, :recordedBy, :birthDate)
            on conflict (person_id) do update set version = excluded.version, restricted = excluded.restricted,
              recorded_by = excluded.recorded_by, birth_date = excluded.birth_date
            where person_status.version < excluded.version""")
        .setParameter("person", event.personId())
        .setParameter("version", event.version())
        .setParameter("restricted", Boolean.TRUE.equals(event.restricted()))
        .setParameter("recordedBy", event.recordedBy())
        .setParameter("birthDate", birthDate(event.birthDate()))
        .executeUpdate())
        .chain(() -> revisions.bump(event.personId()))
        .replaceWithVoid();
  }

  /** A birth date that is not an ISO date is treated as unknown (age-bound authority then fails closed). */
  private static java.time.LocalDate birthDate(String value) {
    try {
      return value == null ? null : java.time.LocalDate.parse(value);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  private Uni<Void> bumpBoth(PersonEvent event) {
    return revisions.bump(event.sourceId()).chain(() -> revisions.bump(event.targetId())).replaceWithVoid();
  }

  /** The record a person id stands for now (following merges) first, then every record merged into it. */
  public Uni<List<String>> records(String personId) {
    return aliases.records(personId);
  }
}
