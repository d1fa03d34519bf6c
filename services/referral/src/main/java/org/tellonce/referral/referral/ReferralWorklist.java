package org.tellonce.referral.referral;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.security.Actor;
import org.tellonce.referral.workflow.Workflow.Status;

/** A team's worklist: the referrals its organisation received (or sent), by status, newest first. */
@ApplicationScoped
public class ReferralWorklist {

  static final int DEFAULT_COUNT = 50;
  static final int MAX_COUNT = 200;

  /** One line of a worklist. */
  public record Line(String id, String taskId, String personId, String status, String priority,
      String requesterOrganization, String recipientOrganization, String routingRule, OffsetDateTime createdAt,
      OffsetDateTime updatedAt) {}

  /** A page of lines and, when there are more, the {@code before} value that reads the next page. */
  public record Page(List<Line> referrals, String next) {}

  @Inject ReferralRepository referrals;
  @Inject TaskRepository tasks;

  @WithSession
  public Uni<Page> page(Actor actor, String box, List<String> statuses, Integer count, String before) {
    String organization = actor.organization();
    if (organization == null) {
      throw FhirException.forbidden("A worklist belongs to an organisation; the token names none");
    }
    String column = switch (box == null ? "inbox" : box) {
      case "inbox" -> "recipientOrganization";
      case "sent" -> "requesterOrganization";
      default -> throw FhirException.badRequest("box is inbox or sent");
    };
    int limit = count == null ? DEFAULT_COUNT : count;
    if (limit < 1 || limit > MAX_COUNT) {
      throw FhirException.badRequest("_count is from 1 to " + MAX_COUNT);
    }
    List<String> wanted = statuses == null || statuses.isEmpty()
        ? Arrays.stream(Status.values()).filter(Status::open).map(Status::code).toList()
        : statuses.stream().map(code -> Status.of(code).code()).toList();
    OffsetDateTime cursor;
    String cursorId;
    try {
      int bar = before == null ? -1 : before.lastIndexOf('~');
      cursor = before == null ? OffsetDateTime.parse("9999-12-31T00:00:00Z")
          : OffsetDateTime.parse(bar < 0 ? before : before.substring(0, bar));
      cursorId = bar < 0 ? "" : before.substring(bar + 1);
    } catch (DateTimeParseException e) {
      throw FhirException.badRequest("before is the 'next' value of the previous page");
    }
    return referrals.find(column + " = ?1 and status in ?2 and (createdAt < ?3 or (createdAt = ?3 and id < ?4))"
            + " order by createdAt desc, id desc", organization, wanted, cursor, cursorId)
        .page(0, limit + 1).list()
        .chain(found -> {
          List<ReferralEntity> page = found.size() > limit ? found.subList(0, limit) : found;
          List<String> ids = page.stream().map(r -> r.id).toList();
          Uni<List<TaskEntity>> taskRows = ids.isEmpty() ? Uni.createFrom().item(List.of())
              : tasks.list("referralId in ?1 and kind = ?2", ids, TaskEntity.WORKFLOW);
          return taskRows.map(rows -> {
            List<Line> lines = new ArrayList<>();
            for (ReferralEntity r : page) {
              String taskId = rows.stream().filter(t -> t.referralId.equals(r.id)).map(t -> t.id).findFirst()
                  .orElse(null);
              lines.add(new Line(r.id, taskId, r.personId, r.status, r.priority, r.requesterOrganization,
                  r.recipientOrganization, r.routingRule, r.createdAt, r.updatedAt));
            }
            ReferralEntity last = page.isEmpty() ? null : page.get(page.size() - 1);
            String next = found.size() > limit ? last.createdAt + "~" + last.id : null;
            return new Page(lines, next);
          });
        });
  }
}
