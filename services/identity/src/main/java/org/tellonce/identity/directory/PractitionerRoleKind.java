package org.tellonce.identity.directory;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.References;
import org.tellonce.platform.security.Actor;

/**
 * A member of staff in a role at an organisation: links a Practitioner, an organisation (by ODS code), role codes and —
 * through an identifier of system {@value DirectoryCodes#KEYCLOAK_USERNAME} — the Keycloak account whose tokens carry
 * it. One active PractitionerRole per account; writing one updates the account in Keycloak in the same step.
 */
@ApplicationScoped
public class PractitionerRoleKind implements DirectoryKind<PractitionerRole> {

  private static final String ID = "[A-Za-z0-9\\-.]{1,64}";

  @Inject StaffAccounts accounts;
  @Inject Pool pool;

  @Override
  public String type() {
    return "PractitionerRole";
  }

  @Override
  public Class<PractitionerRole> resourceClass() {
    return PractitionerRole.class;
  }

  @Override
  public Map<String, String> searchParameters() {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("identifier", "token");
    parameters.put("practitioner", "reference");
    parameters.put("organization.identifier", "token");
    parameters.put("role", "token");
    return parameters;
  }

  @Override
  public List<Token> index(PractitionerRole role) {
    String practitioner = practitioner(role);
    String organization = References.organizationCode(role.getOrganization());
    if (organization == null) {
      throw FhirException.unprocessable("PractitionerRole.organization must be an Organization by identifier (system "
          + References.ODS_SYSTEM + ")");
    }
    if (username(role) != null && !username(role).matches("[a-z0-9._@-]{2,100}")) {
      throw FhirException.unprocessable("PractitionerRole.identifier (" + DirectoryCodes.KEYCLOAK_USERNAME
          + ") must be a Keycloak username: lower-case letters, digits and . _ @ -");
    }
    if (role.hasPeriod() && role.getPeriod().hasStart() && role.getPeriod().hasEnd()
        && role.getPeriod().getEnd().before(role.getPeriod().getStart())) {
      throw FhirException.unprocessable("PractitionerRole.period ends before it starts");
    }
    List<Token> tokens = new ArrayList<>();
    DirectoryCodes.identifiers(role.getIdentifier(), "PractitionerRole.identifier", tokens);
    tokens.add(new Token("practitioner", practitioner));
    tokens.add(new Token("organization.identifier", References.ODS_SYSTEM + "|" + organization));
    DirectoryCodes.codes(role.getCode(), DirectoryCodes.CARE_ROLE, DirectoryCodes.CARE_ROLES, "PractitionerRole.code",
        true).forEach(code -> tokens.add(new Token("role", code)));
    return tokens;
  }

  @Override
  public Uni<Void> afterWrite(String id, PractitionerRole role, PractitionerRole previous, Actor actor) {
    String reference = "PractitionerRole/" + id;
    String practitioner = practitioner(role);
    Uni<Void> exists = pool.preparedQuery(
            "select 1 from directory_resource where resource_type = 'Practitioner' and id = $1 and active")
        .execute(Tuple.of(practitioner.substring("Practitioner/".length())))
        .invoke(rows -> {
          if (rows.size() == 0) {
            throw FhirException.unprocessable("PractitionerRole.practitioner: " + practitioner + " is not an active"
                + " Practitioner in the directory");
          }
        })
        .replaceWithVoid();
    String username = username(role);
    String before = previous == null ? null : username(previous);
    Uni<Void> released = before != null && !before.equals(username) || before != null && !role.getActive()
        ? accounts.unlink(before, reference)
        : Uni.createFrom().voidItem();
    Uni<Void> linked = username != null && role.getActive()
        ? accounts.link(username, References.organizationCode(role.getOrganization()), reference)
        : Uni.createFrom().voidItem();
    return exists.chain(() -> released).chain(() -> linked);
  }

  static String username(PractitionerRole role) {
    List<Identifier> usernames = role.getIdentifier().stream()
        .filter(i -> DirectoryCodes.KEYCLOAK_USERNAME.equals(i.getSystem())).toList();
    if (usernames.size() > 1) {
      throw FhirException.unprocessable("A PractitionerRole belongs to one Keycloak account: give at most one"
          + " identifier of system " + DirectoryCodes.KEYCLOAK_USERNAME);
    }
    return usernames.isEmpty() ? null : usernames.get(0).getValue();
  }

  private static String practitioner(PractitionerRole role) {
    String reference = role.getPractitioner().getReference();
    if (reference == null || !reference.startsWith("Practitioner/")
        || !reference.substring("Practitioner/".length()).matches(ID)) {
      throw FhirException.unprocessable("PractitionerRole.practitioner must reference Practitioner/{id}");
    }
    return reference;
  }
}
