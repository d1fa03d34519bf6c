package org.tellonce.consent.careteam;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import org.tellonce.consent.revision.PersonRevisions;
import org.tellonce.platform.persistence.SessionSql;

/** The organisations in each person's active care teams, as told by identity.careteam.v1. */
@ApplicationScoped
public class CareTeamProjection {

  @Inject PersonRevisions revisions;

  /** Applies a care-team event; an event older than what is stored is ignored. Call inside a transaction. */
  public Uni<Boolean> apply(CareTeamChanged event) {
    return Panache.getSession().chain(session -> SessionSql
        .<Integer>first(session, "select version from care_team where id = $1", event.careTeamId())
        .chain(stored -> {
          if (stored != null && stored >= event.version()) {
            return Uni.createFrom().item(false);
          }
          Uni<Integer> upsert = session.createNativeQuery("insert into care_team (id, person_id, version, status)"
                  + " values (:id, :person, :version, :status) on conflict (id) do update"
                  + " set person_id = excluded.person_id, version = excluded.version, status = excluded.status")
              .setParameter("id", event.careTeamId())
              .setParameter("person", event.personId())
              .setParameter("version", event.version())
              .setParameter("status", event.status())
              .executeUpdate();
          Uni<Integer> clear = session.createNativeQuery("delete from care_team_member where care_team_id = :id")
              .setParameter("id", event.careTeamId())
              .executeUpdate();
          Set<String> members = event.active() && event.organizations() != null ? event.organizations() : Set.of();
          return upsert.chain(() -> clear)
              .chain(() -> Multi.createFrom().iterable(members)
                  .onItem().transformToUniAndConcatenate(org -> session.createNativeQuery(
                          "insert into care_team_member (care_team_id, person_id, organization)"
                              + " values (:id, :person, :org)")
                      .setParameter("id", event.careTeamId())
                      .setParameter("person", event.personId())
                      .setParameter("org", org)
                      .executeUpdate())
                  .collect().last())
              .chain(() -> revisions.bump(event.personId()))
              .replaceWith(true);
        }));
  }
}
