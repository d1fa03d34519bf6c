package org.tellonce.consent.record;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.Objects;

/** Every version of a Consent ever recorded, for {@code _history} and for audit. */
@Entity
@Table(name = "consent_version")
@IdClass(ConsentVersionEntity.Key.class)
public class ConsentVersionEntity {

  public static class Key implements Serializable {
    public String consentId;
    public int version;

    @Override
    public boolean equals(Object other) {
      return other instanceof Key key && key.version == version && Objects.equals(key.consentId, consentId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(consentId, version);
    }
  }

  @Id
  @Column(name = "consent_id")
  public String consentId;

  @Id public int version;

  @Column(nullable = false, columnDefinition = "text")
  public String resource;

  @Column(name = "recorded_by")
  public String recordedBy;

  @Column(name = "recorded_at", nullable = false)
  public OffsetDateTime recordedAt;
}
