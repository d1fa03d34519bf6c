package org.tellonce.referral.directory;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.tellonce.platform.inbox.Inbox;

/**
 * Keeps the teams referrals are routed to from identity's directory events (the newest version of each wins), then
 * re-reads the directory so routing uses the change at once. An event that cannot be read goes to the dead-letter
 * topic with the reason.
 */
@ApplicationScoped
public class DirectoryListener {

  static final String CONSUMER = "referral.directory";
  static final String ORGANIZATION = "[A-Za-z0-9]{3,12}";

  @Inject Inbox inbox;
  @Inject TeamDirectory directory;

  @Incoming("directory")
  public Uni<Void> changed(ConsumerRecord<String, String> record) {
    return inbox.applyOnce(record, CONSUMER, TeamDirectory.ServiceData.class, event -> {
      TeamDirectory.ServiceData s = event.data();
      return s.serviceId() != null && s.version() != null && s.name() != null && s.organization() != null
          && s.organization().matches(ORGANIZATION) && s.categories() != null && !s.categories().isEmpty();
    }, event -> Panache.getSession().chain(session -> session.createNativeQuery("""
            insert into directory_service (id, version, data, updated_at) values (:id, :version, :data, now())
            on conflict (id) do update set version = excluded.version, data = excluded.data, updated_at = now()
            where directory_service.version < excluded.version""")
        .setParameter("id", event.data().serviceId())
        .setParameter("version", event.data().version())
        .setParameter("data", record.value())
        .executeUpdate()).replaceWithVoid())
        .call(() -> directory.refresh());
  }
}
