package org.tellonce.identity.directory;

import io.quarkus.arc.All;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.ws.rs.core.MultivaluedMap;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.DomainResource;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.SearchParameters;
import org.tellonce.platform.fhir.Versioned;
import org.tellonce.platform.persistence.Constraints;
import org.tellonce.platform.persistence.KeysetPage;
import org.tellonce.platform.security.Actor;

/**
 * Stores the directory resources (Organization, Practitioner, PractitionerRole, HealthcareService) with versions and a
 * token index for search; each type's rules live in its {@link DirectoryKind}.
 */
@ApplicationScoped
public class DirectoryService {

  static final int DEFAULT_COUNT = 50;
  static final int MAX_COUNT = 200;

  private final Map<String, DirectoryKind<?>> kinds = new LinkedHashMap<>();

  @Inject Pool pool;

  @Inject
  DirectoryService(@All List<DirectoryKind<?>> all) {
    all.forEach(kind -> kinds.put(kind.type(), kind));
  }

  public Map<String, DirectoryKind<?>> kinds() {
    return kinds;
  }

  public DirectoryKind<?> kind(String type) {
    DirectoryKind<?> kind = kinds.get(type);
    if (kind == null) {
      throw new FhirException(404, org.hl7.fhir.r4.model.OperationOutcome.IssueType.NOTSUPPORTED,
          "Unknown path: no such endpoint or resource type");
    }
    return kind;
  }

  public <T extends DomainResource> Uni<T> create(DirectoryKind<T> kind, T resource, Actor actor) {
    activeByDefault(resource);
    List<DirectoryKind.Token> tokens = kind.index(resource);
    String id = UUID.randomUUID().toString();
    return Panache.withTransaction(() -> {
      OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
      DirectoryEntry entry = new DirectoryEntry();
      entry.resourceType = kind.type();
      entry.id = id;
      entry.createdAt = now;
      return save(entry, 1, resource, tokens, now)
          .chain(() -> kind.afterWrite(id, resource, null, actor))
          .replaceWith(resource);
    }).onFailure(Constraints::isUniqueViolation).transform(e -> duplicate(kind));
  }

  public <T extends DomainResource> Uni<T> update(DirectoryKind<T> kind, String id, T resource, Integer ifMatch,
      Actor actor) {
    if (resource.hasIdElement() && resource.getIdElement().hasIdPart() && !id.equals(resource.getIdElement().getIdPart())) {
      throw FhirException.badRequest("The " + kind.type() + ".id in the body does not match the id in the URL");
    }
    activeByDefault(resource);
    List<DirectoryKind.Token> tokens = kind.index(resource);
    return Panache.withTransaction(() -> DirectoryEntry.<DirectoryEntry>findById(
            new org.tellonce.platform.persistence.ResourceKey(kind.type(), id), LockModeType.PESSIMISTIC_WRITE)
        .chain(entry -> {
          if (entry == null) {
            throw FhirException.notFound(kind.type(), id);
          }
          Versioned.check(ifMatch, entry.version, kind.type() + "/" + id);
          T previous = Fhir.parse(kind.resourceClass(), entry.resource);
          return save(entry, entry.version + 1, resource, tokens, OffsetDateTime.now(ZoneOffset.UTC))
              .chain(() -> kind.afterWrite(id, resource, previous, actor))
              .replaceWith(resource);
        })).onFailure(Constraints::isUniqueViolation).transform(e -> duplicate(kind));
  }

  public <T extends DomainResource> Uni<T> read(DirectoryKind<T> kind, String id) {
    return Panache.withSession(() -> DirectoryEntry.<DirectoryEntry>findById(new org.tellonce.platform.persistence.ResourceKey(kind.type(), id)))
        .map(entry -> {
          if (entry == null) {
            throw FhirException.notFound(kind.type(), id);
          }
          return Fhir.parse(kind.resourceClass(), entry.resource);
        });
  }

  /** The stored resources of one type by id (unknown ids are absent), for summaries. */
  public <T extends DomainResource> Uni<Map<String, T>> load(DirectoryKind<T> kind, List<String> ids) {
    if (ids.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    return pool.preparedQuery("select id, resource from directory_resource where resource_type = $1 and id = any($2)")
        .execute(Tuple.of(kind.type(), ids.toArray(String[]::new)))
        .map(rows -> {
          Map<String, T> found = new LinkedHashMap<>();
          for (Row row : rows) {
            found.put(row.getString("id"), Fhir.parse(kind.resourceClass(), row.getString("resource")));
          }
          return found;
        });
  }

  /** The active resources of one type holding any of these identifiers ({@code system|value}), in one query. */
  public <T extends DomainResource> Uni<List<T>> activeByIdentifiers(DirectoryKind<T> kind, List<String> identifiers) {
    if (identifiers.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    return pool.preparedQuery("""
            select r.resource from directory_resource r
            where r.resource_type = $1 and r.active and exists (
              select 1 from directory_token t where t.resource_type = r.resource_type and t.id = r.id
              and t.param = 'identifier' and t.value = any($2))
            order by r.id""")
        .execute(Tuple.of(kind.type(), identifiers.toArray(String[]::new)))
        .map(rows -> {
          List<T> found = new ArrayList<>();
          rows.forEach(row -> found.add(Fhir.parse(kind.resourceClass(), row.getString("resource"))));
          return found;
        });
  }

  public <T extends DomainResource> Uni<KeysetPage<T>> search(DirectoryKind<T> kind, MultivaluedMap<String, String> query) {
    List<String> where = new ArrayList<>();
    List<Object> parameters = new ArrayList<>();
    parameters.add(kind.type());
    where.add("r.resource_type = $1");
    for (Map.Entry<String, List<String>> entry : query.entrySet()) {
      String name = entry.getKey();
      if (name.equals("_count") || name.equals("_cursor")) {
        continue;
      }
      if (entry.getValue().size() > 1) {
        throw FhirException.badRequest("Search parameter '" + name + "' may be given once");
      }
      String value = entry.getValue().get(0);
      if (value == null || value.isBlank() || value.length() > 300) {
        throw FhirException.badRequest("Search parameter '" + name + "' needs a value of at most 300 characters");
      }
      switch (name) {
        case "_id" -> {
          parameters.add(value);
          where.add("r.id = $" + parameters.size());
        }
        case "active" -> {
          if (!value.equals("true") && !value.equals("false")) {
            throw FhirException.badRequest("active must be true or false");
          }
          parameters.add(Boolean.parseBoolean(value));
          where.add("r.active = $" + parameters.size());
        }
        default -> {
          String type = kind.searchParameters().get(name);
          if (type == null) {
            throw FhirException.badRequest("Unsupported search parameter '" + name + "' for " + kind.type()
                + "; supported: " + kind.searchParameters().keySet() + ", _id, active, _count");
          }
          String paramCondition;
          if (name.equals("identifier")) {
            paramCondition = value.indexOf('|') < 0 ? "t.param = 'identifier-value'"
                : "t.param in ('identifier', 'identifier@inactive')";
          } else {
            parameters.add(name);
            paramCondition = "t.param = $" + parameters.size();
          }
          String condition;
          if (type.equals("string")) {
            parameters.add(SearchParameters.escapeLike(DirectoryCodes.normalise(value)) + "%");
            condition = "t.value like $" + parameters.size();
          } else {
            parameters.add(name.equals("organization.identifier") && value.indexOf('|') < 0
                ? org.tellonce.platform.fhir.References.ODS_SYSTEM + "|" + value.toUpperCase(java.util.Locale.ROOT)
                : name.equals("locality") ? value.toLowerCase(java.util.Locale.ROOT) : value);
            condition = "t.value = $" + parameters.size();
          }
          where.add("exists (select 1 from directory_token t where t.resource_type = r.resource_type and t.id = r.id"
              + " and " + paramCondition + " and " + condition + ")");
        }
      }
    }
    return KeysetPage.query(pool, "r.id, r.resource", "directory_resource r", "r.id", String.join(" and ", where),
        parameters, query.getFirst("_cursor"), SearchParameters.count(query.getFirst("_count"), DEFAULT_COUNT, MAX_COUNT),
        row -> Fhir.parse(kind.resourceClass(), row.getString("resource")));
  }

  private <T extends DomainResource> Uni<Void> save(DirectoryEntry entry, int version, T resource,
      List<DirectoryKind.Token> tokens, OffsetDateTime now) {
    resource.setId(entry.id);
    resource.getMeta().setVersionId(String.valueOf(version)).setLastUpdated(Date.from(now.toInstant()));
    boolean active = isActive(resource);
    entry.version = version;
    entry.active = active;
    entry.resource = Fhir.encode(resource);
    entry.updatedAt = now;
    List<DirectoryKind.Token> stored = new ArrayList<>();
    for (DirectoryKind.Token token : tokens) {
      if (token.param().equals("identifier")) {
        // identifiers are unique among active resources; a retired one keeps being found but frees its identifier
        stored.add(new DirectoryKind.Token(active ? "identifier" : "identifier@inactive", token.value()));
        stored.add(new DirectoryKind.Token("identifier-value", token.value().substring(token.value().indexOf('|') + 1)));
      } else {
        stored.add(token);
      }
    }
    return Panache.getSession().chain(session -> session.merge(entry)
        .chain(session::flush)
        .chain(() -> session.createNativeQuery("delete from directory_token where resource_type = :type and id = :id")
            .setParameter("type", entry.resourceType).setParameter("id", entry.id).executeUpdate())
        .chain(() -> Multi.createFrom().iterable(stored.stream().distinct().toList())
            .onItem().transformToUniAndConcatenate(token -> session.createNativeQuery(
                    "insert into directory_token (resource_type, id, param, value) values (:type, :id, :param, :value)")
                .setParameter("type", entry.resourceType).setParameter("id", entry.id)
                .setParameter("param", token.param()).setParameter("value", token.value())
                .executeUpdate())
            .collect().last())
        .replaceWithVoid());
  }

  private static FhirException duplicate(DirectoryKind<?> kind) {
    return FhirException.conflict("Another active " + kind.type() + " already has one of these identifiers (an ODS code"
        + " names one Organization, a Keycloak account one PractitionerRole); update that one instead");
  }

  private static void activeByDefault(DomainResource resource) {
    if (!resource.getNamedProperty("active").hasValues()) {
      resource.setProperty("active", new BooleanType(true));
    }
  }

  private static boolean isActive(DomainResource resource) {
    return resource.getNamedProperty("active").getValues().stream()
        .anyMatch(v -> v instanceof BooleanType b && Boolean.TRUE.equals(b.getValue()));
  }
}
