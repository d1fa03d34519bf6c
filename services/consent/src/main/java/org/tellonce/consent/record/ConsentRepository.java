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

  /** The active consents recorded against any of these records of one person. */
  public Uni<List<ConsentEntity>> activeForPersons(List<String> personIds) {
    return list("personId in ?1 and status = 'active'", personIds);
  }
}
