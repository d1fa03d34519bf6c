package org.tellonce.consent.agreement;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.Versioned;
import org.tellonce.platform.security.Actor;

/** Keeps the data-sharing agreements; decisions read the active ones from the database on every call. */
@ApplicationScoped
public class AgreementService {

  @Inject ObjectMapper mapper;

  public record Stored(String id, int version, AgreementBody body, String updatedBy, OffsetDateTime updatedAt) {}

  public Uni<Stored> create(AgreementBody body, Actor actor) {
    String id = UUID.randomUUID().toString();
    body.check(id);
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    AgreementEntity entity = new AgreementEntity();
    entity.id = id;
    entity.version = 1;
    entity.createdAt = now;
    return Panache.withTransaction(() -> save(entity, body, actor, now).persist()).map(e -> stored((AgreementEntity) e));
  }

  public Uni<Stored> update(String id, AgreementBody body, Integer ifMatch, Actor actor) {
    body.check(id);
    return Panache.withTransaction(() -> AgreementEntity.<AgreementEntity>findById(id, LockModeType.PESSIMISTIC_WRITE)
        .map(entity -> {
          if (entity == null) {
            throw notFound(id);
          }
          Versioned.check(ifMatch, entity.version, "Agreement " + id);
          entity.version++;
          return stored(save(entity, body, actor, OffsetDateTime.now(ZoneOffset.UTC)));
        }));
  }

  public Uni<Stored> read(String id) {
    return Panache.withSession(() -> AgreementEntity.<AgreementEntity>findById(id)).map(entity -> {
      if (entity == null) {
        throw notFound(id);
      }
      return stored(entity);
    });
  }

  public Uni<List<Stored>> list(String status) {
    return Panache.withSession(() -> (status == null ? AgreementEntity.<AgreementEntity>find("order by updatedAt desc")
        : AgreementEntity.<AgreementEntity>find("status = ?1 order by updatedAt desc", status)).list())
        .map(found -> found.stream().map(this::stored).toList());
  }

  private AgreementEntity save(AgreementEntity entity, AgreementBody body, Actor actor, OffsetDateTime now) {
    try {
      entity.body = mapper.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("The agreement cannot be written as JSON", e);
    }
    entity.status = body.status();
    entity.updatedBy = actor.username();
    entity.updatedAt = now;
    return entity;
  }

  private Stored stored(AgreementEntity entity) {
    return new Stored(entity.id, entity.version, body(entity), entity.updatedBy, entity.updatedAt);
  }

  /** A stored agreement's body as decisions use it. */
  public static Agreement agreement(ObjectMapper mapper, String id, String body) {
    try {
      return mapper.readValue(body, AgreementBody.class).agreement(id);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Stored agreement " + id + " cannot be read", e);
    }
  }

  private AgreementBody body(AgreementEntity entity) {
    try {
      return mapper.readValue(entity.body, AgreementBody.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Stored agreement " + entity.id + " cannot be read", e);
    }
  }

  private static FhirException notFound(String id) {
    return new FhirException(404, org.hl7.fhir.r4.model.OperationOutcome.IssueType.NOTFOUND,
        "Agreement " + id + " is not known");
  }
}
