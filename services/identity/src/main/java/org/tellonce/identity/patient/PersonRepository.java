package org.tellonce.identity.patient;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;
import org.tellonce.identity.patient.PersonIndex.SystemValue;
import org.tellonce.platform.persistence.SessionSql;

@ApplicationScoped
public class PersonRepository implements PanacheRepositoryBase<PersonEntity, String> {

  /**
   * Makes the person's identifiers exactly these: drops the others, adds the new ones. An identifier held by another
   * person fails with a unique violation (the caller turns it into a 409); call inside a transaction.
   */
  public Uni<Void> setIdentifiers(String personId, List<SystemValue> identifiers) {
    return getSession().chain(session -> SessionSql
        .rows(session, "select system, value from person_identifier where person_id = $1", personId)
        .chain(rows -> {
          List<SystemValue> held = rows.stream().map(r -> new SystemValue((String) r[0], (String) r[1])).toList();
          List<Uni<Integer>> changes = new ArrayList<>();
          held.stream().filter(h -> !identifiers.contains(h)).forEach(h -> changes.add(delete(session, personId, h)));
          identifiers.stream().filter(i -> !held.contains(i)).forEach(i -> changes.add(insert(session, personId, i)));
          return Multi.createFrom().iterable(changes)
              .onItem().transformToUniAndConcatenate(change -> change)
              .collect().asList()
              .replaceWithVoid();
        }));
  }

  private static Uni<Integer> delete(Mutiny.Session session, String personId, SystemValue identifier) {
    return Uni.createFrom().deferred(() -> session
        .createNativeQuery("delete from person_identifier where system = :system and value = :value and person_id = :person")
        .setParameter("system", identifier.system())
        .setParameter("value", identifier.value())
        .setParameter("person", personId)
        .executeUpdate());
  }

  private static Uni<Integer> insert(Mutiny.Session session, String personId, SystemValue identifier) {
    return Uni.createFrom().deferred(() -> session
        .createNativeQuery("insert into person_identifier (system, value, person_id) values (:system, :value, :person)")
        .setParameter("system", identifier.system())
        .setParameter("value", identifier.value())
        .setParameter("person", personId)
        .executeUpdate());
  }
}
