package org.tellonce.consent.relationship;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tellonce.consent.revision.PersonRevisions;
import org.tellonce.platform.persistence.SessionSql;
import org.tellonce.platform.person.PersonAliases;

/**
 * Legitimate relationships beyond the care team, derived from events: an organisation that holds an active referral
 * for the person, an open encounter with them, or their open social-care case. Each lasts while its episode is open
 * and ends with it (a completed, rejected or cancelled referral; a finished encounter; a closed case). A change raises
 * the person's revision.
 */
@ApplicationScoped
public class RelationshipProjection {

  /** Task statuses of a referral that is still with its recipient. */
  static final Set<String> OPEN_REFERRAL = Set.of("requested", "received", "accepted", "ready", "in-progress",
      "on-hold");
  static final Set<String> OPEN_ENCOUNTER = Set.of("planned", "arrived", "triaged", "in-progress", "onleave");
  static final Set<String> OPEN_CASE = Set.of("waitlist", "active", "onhold");

  static final Map<String, String> DESCRIPTIONS = Map.of(
      "referral", "holds an active referral for the person",
      "encounter", "has an open encounter with the person",
      "case", "holds the person's open social-care case");

  @Inject PersonRevisions revisions;
  @Inject PersonAliases aliases;

  /** What one event states about one source's relationship: who, which organisation, and whether it is open. */
  public record Relationship(String type, String sourceId, String personId, String organization, String status,
      boolean active, int version) {

    List<String> source() {
      return List.of(type, sourceId);
    }
  }

  /** The relationship a referral event states (the referral's current recipient). */
  public static Relationship ofReferral(RelationshipEvent event) {
    return new Relationship("referral", event.referralId(), event.personId(), event.recipientOrganization(),
        event.status(), OPEN_REFERRAL.contains(event.status()), 0);
  }

  /**
   * The relationship a record event states: Encounters and EpisodeOfCare only; other resources are no episode (null).
   * A deleted one (recorded in error) is no relationship, whatever its status said.
   */
  public static Relationship ofRecord(RelationshipEvent event) {
    boolean deleted = Boolean.TRUE.equals(event.deleted());
    int version = event.version() == null ? 0 : event.version();
    return switch (event.resourceType() == null ? "" : event.resourceType()) {
      case "Encounter" -> new Relationship("encounter", event.id(), event.personId(), event.sourceOrganization(),
          event.status(), !deleted && OPEN_ENCOUNTER.contains(event.status()), version);
      case "EpisodeOfCare" -> new Relationship("case", event.id(), event.personId(), event.sourceOrganization(),
          event.status(), !deleted && OPEN_CASE.contains(event.status()), version);
      default -> null;
    };
  }

  public Uni<Void> referral(RelationshipEvent event) {
    return record(List.of(ofReferral(event)));
  }

  /**
   * Records relationships in the caller's transaction, as applying them one by one in their order would: per source,
   * an event older than the one applied (by version) changes nothing, and of equal versions the later wins (a referral
   * has no version: its events arrive in order on the person's partition). Each person whose relationships changed has
   * their revision raised once. A handful of statements, however many relationships.
   */
  public Uni<Void> record(List<Relationship> relationships) {
    Map<List<String>, Relationship> last = new LinkedHashMap<>();
    for (Relationship relationship : relationships) {
      last.merge(relationship.source(), relationship, (applied, later) -> later.version() >= applied.version()
          ? later : applied);
    }
    if (last.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<Relationship> rows = List.copyOf(last.values());
    return Panache.getSession()
        .chain(session -> SessionSql.<String>column(session, UPSERT,
            rows.stream().map(Relationship::type).toArray(String[]::new),
            rows.stream().map(Relationship::sourceId).toArray(String[]::new),
            rows.stream().map(Relationship::personId).toArray(String[]::new),
            rows.stream().map(Relationship::organization).toArray(String[]::new),
            rows.stream().map(Relationship::status).toArray(String[]::new),
            rows.stream().map(Relationship::active).toArray(Boolean[]::new),
            rows.stream().map(Relationship::version).toArray(Integer[]::new)))
        .chain(changed -> changed.isEmpty() ? Uni.createFrom().voidItem()
            : aliases.current(Set.copyOf(changed)).chain(revisions::bump));
  }

  private static final String UPSERT = """
      insert into relationship (source_type, source_id, person_id, organization, status, active, version, updated_at)
      select r.*, now() from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[],
        $7::integer[]) r
      on conflict (source_type, source_id) do update set organization = excluded.organization,
        status = excluded.status, active = excluded.active, version = excluded.version,
        updated_at = excluded.updated_at
      where relationship.version <= excluded.version
      returning person_id""";

  /** What a relationship of this source type is, in words ("holds an active referral for the person"). */
  public static String describe(String sourceType) {
    return DESCRIPTIONS.getOrDefault(sourceType, "has a relationship with the person");
  }
}
