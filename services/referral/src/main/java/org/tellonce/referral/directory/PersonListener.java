package org.tellonce.referral.directory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.tellonce.platform.inbox.Inbox;

/**
 * Keeps what routing may know of each person from identity's person events: the birth date (for age bands), the
 * postcode district (for the locality; identity never sends it for a restricted person), the NHS number (to find the
 * person a BaRS message names), and merges (a referral for a merged-away record is refused with the record to use).
 */
@ApplicationScoped
public class PersonListener {

  static final String CONSUMER = "referral.persons";
  static final Set<String> STATE = Set.of("org.tellonce.identity.person.registered.v1",
      "org.tellonce.identity.person.updated.v1");
  static final String MERGED = "org.tellonce.identity.person.merged.v1";
  static final String UNMERGED = "org.tellonce.identity.person.unmerged.v1";

  /** The fields of person events routing uses. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record PersonEvent(String personId, Integer version, String birthDate, String postcodeDistrict,
      String sourceId, String targetId, List<Identifier> identifiers) {

    /** The NHS number among the person's identifiers, or null. */
    String nhsNumber() {
      return identifiers == null ? null : identifiers.stream().filter(i -> NHS_NUMBER.equals(i.system()))
          .map(Identifier::value).findFirst().orElse(null);
    }
  }

  /** One identifier of a person event. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Identifier(String system, String value) {}

  static final String NHS_NUMBER = org.tellonce.platform.person.NhsNumber.SYSTEM;

  @Inject Inbox inbox;

  @Incoming("persons")
  public Uni<Void> changed(ConsumerRecord<String, String> record) {
    String type = Inbox.eventType(record);
    if (type != null && !STATE.contains(type) && !MERGED.equals(type) && !UNMERGED.equals(type)) {
      return Uni.createFrom().voidItem();
    }
    return inbox.applyOnce(record, CONSUMER, PersonEvent.class, event -> {
      PersonEvent p = event.data();
      return STATE.contains(event.type()) ? p.personId() != null && p.version() != null
          : p.sourceId() != null && p.targetId() != null;
    }, event -> {
      PersonEvent p = event.data();
      if (STATE.contains(event.type())) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                insert into person (person_id, version, birth_date, postcode_district, nhs_number, updated_at)
                values (:id, :version, :birthDate, :district, :nhs, now())
                on conflict (person_id) do update set version = excluded.version, birth_date = excluded.birth_date,
                  postcode_district = excluded.postcode_district, nhs_number = excluded.nhs_number,
                  updated_at = now()
                where person.version < excluded.version""")
            .setParameter("id", p.personId())
            .setParameter("version", p.version())
            .setParameter("birthDate", p.birthDate() == null ? null : LocalDate.parse(p.birthDate()))
            .setParameter("district", p.postcodeDistrict())
            .setParameter("nhs", p.nhsNumber())
            .executeUpdate()).replaceWithVoid();
      }
      return Panache.getSession().chain(session -> session.createNativeQuery("""
              insert into person (person_id, version, merged_into, updated_at) values (:id, 0, :target, now())
              on conflict (person_id) do update set merged_into = excluded.merged_into, updated_at = now()""")
          .setParameter("id", p.sourceId())
          .setParameter("target", MERGED.equals(event.type()) ? p.targetId() : null)
          .executeUpdate()).replaceWithVoid();
    });
  }
}
