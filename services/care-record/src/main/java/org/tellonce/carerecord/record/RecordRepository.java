package org.tellonce.carerecord.record;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tellonce.platform.persistence.ResourceKey;

@ApplicationScoped
public class RecordRepository implements PanacheRepositoryBase<RecordEntity, ResourceKey> {

  public Uni<RecordEntity> current(String type, String id) {
    return findById(new ResourceKey(type, id)).map(e -> e == null || e.deleted ? null : e);
  }

  /** The person each of these resources ({@code Type/id}) is about, for those that exist and are not deleted. */
  public Uni<Map<String, String>> personsOf(List<String> references) {
    return find("concat(resourceType, '/', id) in ?1 and deleted = false", references).list().map(found -> {
      Map<String, String> persons = new HashMap<>();
      found.forEach(e -> persons.put(e.reference(), e.personId));
      return persons;
    });
  }
}
