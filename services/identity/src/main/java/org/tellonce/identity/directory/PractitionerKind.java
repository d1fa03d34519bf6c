package org.tellonce.identity.directory;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.StringType;
import org.tellonce.platform.fhir.FhirException;

/** A member of staff: names and professional identifiers (GMC, NMC, HCPC, SDS user id …). */
@ApplicationScoped
public class PractitionerKind implements DirectoryKind<Practitioner> {

  @Override
  public String type() {
    return "Practitioner";
  }

  @Override
  public Class<Practitioner> resourceClass() {
    return Practitioner.class;
  }

  @Override
  public Map<String, String> searchParameters() {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("identifier", "token");
    parameters.put("name", "string");
    parameters.put("family", "string");
    return parameters;
  }

  @Override
  public List<Token> index(Practitioner practitioner) {
    if (!practitioner.hasName() || !practitioner.getNameFirstRep().hasFamily()) {
      throw FhirException.unprocessable("A Practitioner needs a name with a family name");
    }
    List<Token> tokens = new ArrayList<>();
    DirectoryCodes.identifiers(practitioner.getIdentifier(), "Practitioner.identifier", tokens);
    for (HumanName name : practitioner.getName()) {
      if (name.hasFamily()) {
        tokens.add(new Token("family", DirectoryCodes.normalise(name.getFamily())));
        tokens.add(new Token("name", DirectoryCodes.normalise(name.getFamily())));
      }
      for (StringType given : name.getGiven()) {
        tokens.add(new Token("name", DirectoryCodes.normalise(given.getValue())));
      }
    }
    return tokens;
  }
}
