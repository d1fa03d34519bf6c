package org.tellonce.identity.directory;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.References;

/** A partner organisation: exactly one ODS (or council) code, a name, and its type (NHS trust, GP, council, VCSE …). */
@ApplicationScoped
public class OrganizationKind implements DirectoryKind<Organization> {

  @Override
  public String type() {
    return "Organization";
  }

  @Override
  public Class<Organization> resourceClass() {
    return Organization.class;
  }

  @Override
  public Map<String, String> searchParameters() {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("identifier", "token");
    parameters.put("name", "string");
    parameters.put("type", "token");
    parameters.put("partof", "token");
    return parameters;
  }

  @Override
  public List<Token> index(Organization organization) {
    List<Identifier> codes = organization.getIdentifier().stream()
        .filter(i -> References.ODS_SYSTEM.equals(i.getSystem())).toList();
    if (codes.size() != 1) {
      throw FhirException.unprocessable("An Organization needs exactly one identifier with system "
          + References.ODS_SYSTEM + " (its ODS or council code)");
    }
    References.organizationCode(new Reference().setIdentifier(codes.get(0)));
    if (!organization.hasName() || organization.getName().isBlank()) {
      throw FhirException.unprocessable("An Organization needs a name");
    }
    List<Token> tokens = new ArrayList<>();
    DirectoryCodes.identifiers(organization.getIdentifier(), "Organization.identifier", tokens);
    tokens.add(new Token("name", DirectoryCodes.normalise(organization.getName())));
    organization.getAlias().forEach(alias -> tokens.add(new Token("name", DirectoryCodes.normalise(alias.getValue()))));
    DirectoryCodes.codes(organization.getType(), DirectoryCodes.ORGANIZATION_TYPE, DirectoryCodes.ORGANIZATION_TYPES,
        "Organization.type", true).forEach(code -> tokens.add(new Token("type", code)));
    String parent = References.organizationCode(organization.getPartOf());
    if (parent != null) {
      tokens.add(new Token("partof", parent));
    }
    return tokens;
  }
}
