package org.tellonce.referral.referral;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class TaskRepository implements PanacheRepositoryBase<TaskEntity, String> {

  /** The referral's workflow Task (a list of one). */
  public Uni<List<TaskEntity>> forReferral(String referralId) {
    return list("referralId = ?1 and kind = ?2", referralId, TaskEntity.WORKFLOW);
  }

  /** Every Task about the referral: its workflow Task first, then others (the referrer's obtain-consent Task). */
  public Uni<List<TaskEntity>> allFor(String referralId) {
    return list("referralId = ?1 order by case when kind = ?2 then 0 else 1 end, id", referralId, TaskEntity.WORKFLOW);
  }
}
