package org.tellonce.referral.workflow;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.tellonce.platform.fhir.FhirException;

/**
 * The lifecycle of a referral, carried on its Task: requested → received → accepted → in-progress → completed, with
 * on-hold (back to where it was held), cancelled by the referrer, and rejected only by the single point of access (a
 * receiving team that is not the right one redirects instead: no wrong door). Each rule is a tested table.
 */
public final class Workflow {

  /** A Task status this workflow uses (the FHIR code is the lower-case, dashed name). */
  public enum Status {
    REQUESTED, RECEIVED, ACCEPTED, IN_PROGRESS, ON_HOLD, COMPLETED, REJECTED, CANCELLED;

    public String code() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public boolean terminal() {
      return this == COMPLETED || this == REJECTED || this == CANCELLED;
    }

    /** Still with a receiver: counts against its capacity and its SLA clock runs. */
    public boolean open() {
      return !terminal();
    }

    public static Status of(String code) {
      if (code != null) {
        for (Status status : values()) {
          if (status.code().equals(code)) {
            return status;
          }
        }
      }
      throw FhirException.badRequest("Unknown referral status '" + code + "'; one of "
          + java.util.Arrays.stream(values()).map(Status::code).toList());
    }
  }

  /** Who is asking: the receiving organisation (the Task's owner) or the referring one (the requester). */
  public enum Party { RECEIVER, REFERRER }

  private Workflow() {}

  /** The statuses a referral may move to from {@code from}; {@code heldFrom} is where an on-hold referral returns. */
  public static Set<Status> next(Status from, Status heldFrom) {
    return switch (from) {
      case REQUESTED -> EnumSet.of(Status.RECEIVED, Status.ACCEPTED, Status.REJECTED, Status.ON_HOLD, Status.CANCELLED);
      case RECEIVED -> EnumSet.of(Status.ACCEPTED, Status.REJECTED, Status.ON_HOLD, Status.CANCELLED);
      case ACCEPTED -> EnumSet.of(Status.IN_PROGRESS, Status.ON_HOLD, Status.CANCELLED);
      case IN_PROGRESS -> EnumSet.of(Status.COMPLETED, Status.ON_HOLD, Status.CANCELLED);
      case ON_HOLD -> heldFrom == null ? EnumSet.of(Status.CANCELLED) : EnumSet.of(heldFrom, Status.CANCELLED);
      case COMPLETED, REJECTED, CANCELLED -> EnumSet.noneOf(Status.class);
    };
  }

  /** Who may make a move: the referrer withdraws (cancels); everything else is the receiver's. */
  public static Party mover(Status to) {
    return to == Status.CANCELLED ? Party.REFERRER : Party.RECEIVER;
  }

  /** Moves that need a reason, recorded on the Task's statusReason and in the history. */
  public static boolean needsReason(Status to) {
    return to == Status.REJECTED || to == Status.CANCELLED || to == Status.ON_HOLD;
  }

  /** Whether a referral in this status may be redirected to another service by its receiver. */
  public static boolean redirectable(Status status) {
    return status == Status.REQUESTED || status == Status.RECEIVED || status == Status.ACCEPTED
        || status == Status.ON_HOLD;
  }

  /**
   * Checks one move; a refused move is a 409 naming the moves allowed from here (or, for a team rejecting, the
   * redirect it should make instead).
   *
   * @param atSinglePointOfAccess whether the receiver is the single point of access, the only one that may reject
   */
  public static void check(Status from, Status heldFrom, Status to, boolean atSinglePointOfAccess) {
    Set<Status> allowed = next(from, heldFrom);
    if (!allowed.contains(to)) {
      throw FhirException.conflict("A referral that is " + from.code() + " cannot become " + to.code()
          + (allowed.isEmpty() ? "; it is closed" : "; allowed: " + codes(allowed)));
    }
    if (to == Status.REJECTED && !atSinglePointOfAccess) {
      throw FhirException.conflict("A receiving team does not reject a referral: redirect it to the right service or"
          + " back to the single point of access ($redirect, with a handover note), so that it never falls on the"
          + " floor; allowed: " + codes(allowed.stream().filter(s -> s != Status.REJECTED).toList()) + ", redirect");
    }
  }

  public static String codes(java.util.Collection<Status> statuses) {
    return statuses.stream().map(Status::code).collect(Collectors.joining(", "));
  }
}
