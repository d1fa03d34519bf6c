package org.tellonce.consent.revision;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The person's consent revision: it rises in the same transaction as every change a decision depends on, so a
 * decision carrying revision n was taken on state at least as new as n.
 */
@ApplicationScoped
public class PersonRevisions {

  private static final String BUMP = "insert into person_revision (person_id, revision) values (:person, 1)"
      + " on conflict (person_id) do update set revision = person_revision.revision + 1 returning revision";

  public Uni<Long> bump(String personId) {
    return Panache.getSession()
        .chain(session -> session.createNativeQuery(BUMP, Long.class).setParameter("person", personId).getSingleResult());
  }

  public Uni<Long> current(String personId) {
    return Panache.getSession()
        .chain(session -> session
            .createNativeQuery("select revision from person_revision where person_id = :person", Long.class)
            .setParameter("person", personId)
            .getSingleResultOrNull())
        .map(revision -> revision == null ? 0L : revision);
  }
}
