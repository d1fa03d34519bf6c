package org.tellonce.consent.relationship;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Set;
import org.tellonce.consent.revision.PersonRevisions;
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

  /** The relationship a referral event states (the referral's current recipient), or null if none is stated. */
  public Uni<Void> referral(RelationshipEvent event) {
    return upsert("referral", event.referralId(), event.personId(), event.recipientOrganization(), event.status(),
        OPEN_REFERRAL.contains(event.status()), null);
  }

  /**
   * The relationship a record event states: Encounters and EpisodeOfCare only; other resources are no episode. A
   * deleted one (recorded in error) is no relationship, whatever its status said.
   */
  public Uni<Void> record(RelationshipEvent event) {
    boolean deleted = Boolean.TRUE.equals(event.deleted());
    return switch (event.resourceType()) {
      case "Encounter" -> upsert("encounter", event.id(), event.personId(), event.sourceOrganization(),
          event.status(), !deleted && OPEN_ENCOUNTER.contains(event.status()), event.version());
      case "EpisodeOfCare" -> upsert("case", event.id(), event.personId(), event.sourceOrganization(), event.status(),
          !deleted && OPEN_CASE.contains(event.status()), event.version());
      default -> Uni.createFrom().voidItem();
    };
  }

  /**
   * Records the relationship of one source; a record event older than the one applied (by version) changes nothing.
   * A referral has no version: its events arrive in order on the person's partition.
   */
  private Uni<Void> upsert(String type, String sourceId, String personId, String organization, String status,
      boolean active, Integer version) {
    return Panache.getSession().chain(session -> session.createNativeQuery("""
            insert into relationship (source_type, source_id, person_id, organization, status, active, version,
              updated_at)
            values (:type, :source, :person, :organization, :status, :active, :version, now())
            on conflict (source_type, source_id) do update set organization = excluded.organization,
              status = excluded.status, active = excluded.active, version = excluded.version,
              updated_at = excluded.updated_at
            where relationship.version <= excluded.version""")
        .setParameter("type", type)
        .setParameter("source", sourceId)
        .setParameter("person", personId)
        .setParameter("organization", organization)
        .setParameter("status", status)
        .setParameter("active", active)
        .setParameter("version", version == null ? 0 : version)
        .executeUpdate())
        .chain(changed -> changed == 0 ? Uni.createFrom().voidItem()
            : aliases.records(personId).chain(records -> revisions.bump(records.get(0))).replaceWithVoid());
  }

  /** What a relationship of this source type is, in words ("holds an active referral for the person"). */
  public static String describe(String sourceType) {
    return DESCRIPTIONS.getOrDefault(sourceType, "has a relationship with the person");
  }
}
