package org.tellonce.referral.careteam;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.tellonce.platform.inbox.Inbox;
import org.tellonce.platform.persistence.SessionSql;

/**
 * Keeps who coordinates each person's care, from identity's care-team events (newest version of each team wins), so
 * that a redirected or escalated referral tells the person's care coordinator. Idempotent through the inbox; an
 * event that cannot be read goes to the dead-letter topic with the reason.
 */
@ApplicationScoped
public class CareTeamListener {

  static final String CONSUMER = "referral.careteams";
  static final String CHANNEL = "careteams";

  /** The fields of a care-team event this service needs. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Changed(String careTeamId, Integer version, String personId, String status, String coordinator) {}

  @Inject Inbox inbox;

  @Incoming(CHANNEL)
  public Uni<Void> changed(ConsumerRecord<String, String> record) {
    return inbox.applyOnce(record, CONSUMER, Changed.class, event -> {
      Changed c = event.data();
      return c.careTeamId() != null && c.version() != null && c.personId() != null && c.status() != null;
    }, event -> apply(event.data()));
  }

  private Uni<Void> apply(Changed changed) {
    return Panache.getSession().chain(session -> session.createNativeQuery("""
            insert into care_team (care_team_id, person_id, version, active, coordinator)
            values (:id, :person, :version, :active, :coordinator)
            on conflict (care_team_id) do update set person_id = excluded.person_id, version = excluded.version,
              active = excluded.active, coordinator = excluded.coordinator
            where care_team.version < excluded.version""")
        .setParameter("id", changed.careTeamId())
        .setParameter("person", changed.personId())
        .setParameter("version", changed.version())
        .setParameter("active", "active".equals(changed.status()))
        .setParameter("coordinator", changed.coordinator())
        .executeUpdate()).replaceWithVoid();
  }

  /** The care coordinators (PractitionerRole references) of a person's active care teams. */
  public static Uni<List<String>> coordinators(String personId) {
    return Panache.getSession().chain(session -> SessionSql.<String>column(session, """
            select distinct coordinator from care_team
            where person_id = $1 and active and coordinator is not null order by coordinator""", personId));
  }
}
