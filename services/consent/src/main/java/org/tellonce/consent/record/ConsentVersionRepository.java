package org.tellonce.consent.record;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class ConsentVersionRepository implements PanacheRepositoryBase<ConsentVersionEntity, ConsentVersionEntity.Key> {

  public Uni<List<ConsentVersionEntity>> history(String consentId) {
    return list("consentId = ?1 order by version desc", consentId);
  }

  public Uni<ConsentVersionEntity> version(String consentId, int version) {
    return find("consentId = ?1 and version = ?2", consentId, version).firstResult();
  }
}
