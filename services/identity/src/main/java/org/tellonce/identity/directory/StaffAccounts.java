package org.tellonce.identity.directory;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.util.List;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.UsersResource;
import org.keycloak.representations.idm.UserRepresentation;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.security.CurrentActor;

/**
 * Keeps Keycloak users consistent with their PractitionerRole: the user's {@code org} and {@code practitioner_role}
 * attributes (both admin-only, both in every token) name the organisation and the role, so that a token maps to exactly
 * one PractitionerRole. Keycloak's admin client is blocking, so calls run on a worker with the caller's context kept.
 */
@ApplicationScoped
public class StaffAccounts {

  private static final Logger LOG = Logger.getLogger(StaffAccounts.class);

  @Inject Keycloak keycloak;
  @Inject Vertx vertx;

  @ConfigProperty(name = "tellonce.keycloak.realm")
  String realm;

  /** Points the user at this role and its organisation; a 422 when the user does not exist in the realm. */
  public Uni<Void> link(String username, String organization, String roleReference) {
    return blocking(() -> {
      UsersResource users = keycloak.realm(realm).users();
      UserRepresentation user = find(users, username);
      if (user == null) {
        throw FhirException.unprocessable("PractitionerRole.identifier: there is no user '" + username
            + "' in the Keycloak realm " + realm + "; create the account first");
      }
      UserRepresentation full = users.get(user.getId()).toRepresentation();
      full.singleAttribute(CurrentActor.ORGANIZATION_CLAIM, organization);
      full.singleAttribute(CurrentActor.PRACTITIONER_ROLE_CLAIM, roleReference);
      users.get(user.getId()).update(full);
      return null;
    });
  }

  /** Takes the role (and its organisation) off the user, if the user still points at this role. */
  public Uni<Void> unlink(String username, String roleReference) {
    return blocking(() -> {
      UsersResource users = keycloak.realm(realm).users();
      UserRepresentation user = find(users, username);
      if (user == null) {
        return null;
      }
      UserRepresentation full = users.get(user.getId()).toRepresentation();
      if (full.getAttributes() == null
          || !List.of(roleReference).equals(full.getAttributes().get(CurrentActor.PRACTITIONER_ROLE_CLAIM))) {
        return null;
      }
      full.getAttributes().remove(CurrentActor.PRACTITIONER_ROLE_CLAIM);
      full.getAttributes().remove(CurrentActor.ORGANIZATION_CLAIM);
      users.get(user.getId()).update(full);
      return null;
    });
  }

  private static UserRepresentation find(UsersResource users, String username) {
    List<UserRepresentation> found = users.searchByUsername(username, true);
    return found.isEmpty() ? null : found.get(0);
  }

  private <T> Uni<T> blocking(Supplier<T> call) {
    return vertx.executeBlocking(Uni.createFrom().item(() -> {
      try {
        return call.get();
      } catch (FhirException e) {
        throw e;
      } catch (ProcessingException | WebApplicationException e) {
        LOG.warnf("Keycloak admin API call failed: %s", e.getClass().getSimpleName());
        throw FhirException.unavailable("Keycloak cannot be reached to update the staff account; nothing was changed,"
            + " try again shortly");
      }
    }));
  }
}
