package org.tellonce.referral.referral;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class TaskRepository implements PanacheRepositoryBase<TaskEntity, String> {

  public Uni<List<TaskEntity>> forReferral(String referralId) {
    return list("referralId", referralId);
  }
}
