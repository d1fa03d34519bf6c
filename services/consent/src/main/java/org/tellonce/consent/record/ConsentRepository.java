package org.tellonce.consent.record;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class ConsentRepository implements PanacheRepositoryBase<ConsentEntity, String> {

  public Uni<List<ConsentEntity>> forPersons(List<String> personIds) {
    return list("personId in ?1 order by updatedAt desc, id", personIds);
  }

  /**
   * The Consents, in these statuses (all when empty), whose provisions name this organisation as an actor, newest
   * first, at most {@code limit}.
   */
  public Uni<List<ConsentEntity>> namingOrganization(String organization, List<String> statuses, int limit) {
    return io.quarkus.hibernate.reactive.panache.Panache.getSession().chain(session -> session.createNativeQuery("""
            select * from consent_record
            where jsonb_path_exists(cast(resource as jsonb),
                    cast('lax $.provision.**.actor.reference.identifier.value ? (@ == $org)' as jsonpath),
                    jsonb_build_object('org', cast(:organization as text)))
              and (cast(:anyStatus as boolean) or status in (:statuses))
            order by updated_at desc, id limit :limit""", ConsentEntity.class)
        .setParameter("organization", organization)
        .setParameter("anyStatus", statuses.isEmpty())
        .setParameter("statuses", statuses.isEmpty() ? List.of("-") : statuses)
        .setParameter("limit", limit)
        .getResultList());
  }

  /** The active consents recorded against any of these records of one person. */
  public Uni<List<ConsentEntity>> activeForPersons(List<String> personIds) {
    return list("personId in ?1 and status = 'active'", personIds);
  }
}
