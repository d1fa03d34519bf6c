package org.tellonce.referral.referral;

import java.time.OffsetDateTime;
import java.util.List;
import org.tellonce.referral.sla.Deadlines;

/**
 * A referral as the plain API shows it: where it is, what the caller may do next, and every move with who made it and
 * why (reasons and handover notes are for the two organisations on the referral; events never carry them).
 */
public record Summary(String id, String taskId, String personId, String status, String priority,
    String requesterOrganization, String recipientOrganization, String recipientService, String routingRule,
    OffsetDateTime createdAt, OffsetDateTime updatedAt, int taskVersion, List<String> allowedMoves,
    List<Deadlines.Clock> deadlines, boolean clinicalContentShown, List<Move> history) {

  /** One move in the history. */
  public record Move(int seq, String kind, String fromStatus, String toStatus, String fromRecipient,
      String toRecipient, String reason, boolean loopDetected, String by, String byOrganization, OffsetDateTime at) {}

  /**
   * The summary; without {@code full}, the reasons and handover notes in the history are left out (the receiver sees
   * the minimal referral until consent allows more).
   */
  static Summary of(ReferralEntity referral, TaskEntity task, List<HistoryEntry> history, List<String> allowed,
      List<Deadlines.Clock> clocks, boolean full) {
    return new Summary(referral.id, task.id, referral.personId, referral.status, referral.priority,
        referral.requesterOrganization, referral.recipientOrganization, referral.recipientService,
        referral.routingRule, referral.createdAt, referral.updatedAt, task.version, allowed, clocks, full,
        history.stream().map(h -> new Move(h.seq, h.kind, h.fromStatus, h.toStatus, h.fromRecipient, h.toRecipient,
            full ? h.reason : null, h.loopDetected, h.byUser, h.byOrganization, h.at)).toList());
  }
}
