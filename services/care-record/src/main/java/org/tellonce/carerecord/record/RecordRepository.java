package org.tellonce.carerecord.record;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class RecordRepository implements PanacheRepositoryBase<RecordEntity, RecordEntity.Key> {

  /** Upper bound of one patient-scoped search: paging arrives with the care-record issue. */
  public static final int MAX_RESULTS = 500;

  public Uni<RecordEntity> current(String type, String id) {
    return findById(new RecordEntity.Key(type, id)).map(e -> e == null || e.deleted ? null : e);
  }

  public Uni<List<RecordEntity>> forPerson(String type, String personId) {
    return find("resourceType = ?1 and personId = ?2 and deleted = false order by updatedAt desc", type, personId)
        .page(0, MAX_RESULTS)
        .list();
  }
}
