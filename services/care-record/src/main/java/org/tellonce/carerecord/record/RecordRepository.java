package org.tellonce.carerecord.record;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.tellonce.platform.persistence.ResourceKey;

@ApplicationScoped
public class RecordRepository implements PanacheRepositoryBase<RecordEntity, ResourceKey> {

  /** Upper bound of one patient-scoped search: paging arrives with the care-record issue. */
  public static final int MAX_RESULTS = 500;

  public Uni<RecordEntity> current(String type, String id) {
    return findById(new ResourceKey(type, id)).map(e -> e == null || e.deleted ? null : e);
  }

  /** What is held of this type against any of these records of one person (merged records included). */
  public Uni<List<RecordEntity>> forPerson(String type, List<String> personIds) {
    return find("resourceType = ?1 and personId in ?2 and deleted = false order by updatedAt desc", type, personIds)
        .page(0, MAX_RESULTS)
        .list();
  }
}
