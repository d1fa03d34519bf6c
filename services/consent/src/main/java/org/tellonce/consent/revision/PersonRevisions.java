package org.tellonce.consent.revision;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import org.tellonce.platform.persistence.SessionSql;

/**
 * The person's consent revision: it rises in the same transaction as every change a decision depends on, so a
 * decision carrying revision n was taken on state at least as new as n.
 */
@ApplicationScoped
public class PersonRevisions {

  private static final String BUMP = "insert into person_revision (person_id, revision) values ($1, 1)"
      + " on conflict (person_id) do update set revision = person_revision.revision + 1 returning revision";

  private static final String BUMP_ALL = "insert into person_revision (person_id, revision)"
      + " select p, 1 from unnest($1::text[]) p on conflict (person_id) do update"
      + " set revision = person_revision.revision + 1 returning revision";

  public Uni<Long> bump(String personId) {
    return Panache.getSession()
        .chain(session -> SessionSql.<Long>first(session, BUMP, personId));
  }

  /** Raises the revision of each person (distinct ids) once, in one statement. */
  public Uni<Void> bump(Collection<String> personIds) {
    return Panache.getSession()
        .chain(session -> SessionSql.column(session, BUMP_ALL, (Object) personIds.toArray(new String[0])))
        .replaceWithVoid();
  }

  public Uni<Long> current(String personId) {
    return Panache.getSession()
        .chain(session -> SessionSql.<Long>first(session,
            "select revision from person_revision where person_id = $1", personId))
        .map(revision -> revision == null ? 0L : revision);
  }
}
