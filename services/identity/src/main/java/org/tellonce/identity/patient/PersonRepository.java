package org.tellonce.identity.patient;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class PersonRepository implements PanacheRepositoryBase<PersonEntity, String> {

  public Uni<Boolean> nhsNumberTaken(String nhsNumber) {
    return count("nhsNumber", nhsNumber).map(n -> n > 0);
  }
}
