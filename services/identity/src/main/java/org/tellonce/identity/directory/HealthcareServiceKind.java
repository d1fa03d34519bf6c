package org.tellonce.identity.directory;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.HealthcareService.HealthcareServiceAvailableTimeComponent;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.References;

/**
 * A team that receives referrals: the organisation providing it (by ODS code), service categories, the localities it
 * covers, opening hours ({@code availableTime}) and capacity (an extension: how many open referrals it can hold).
 */
@ApplicationScoped
public class HealthcareServiceKind implements DirectoryKind<HealthcareService> {

  @Override
  public String type() {
    return "HealthcareService";
  }

  @Override
  public Class<HealthcareService> resourceClass() {
    return HealthcareService.class;
  }

  @Override
  public Map<String, String> searchParameters() {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("identifier", "token");
    parameters.put("name", "string");
    parameters.put("organization.identifier", "token");
    parameters.put("service-category", "token");
    parameters.put("locality", "token");
    return parameters;
  }

  @Override
  public List<Token> index(HealthcareService service) {
    String provider = References.organizationCode(service.getProvidedBy());
    if (provider == null) {
      throw FhirException.unprocessable("HealthcareService.providedBy must be an Organization by identifier (system "
          + References.ODS_SYSTEM + ")");
    }
    if (!service.hasName() || service.getName().isBlank()) {
      throw FhirException.unprocessable("A HealthcareService needs a name");
    }
    List<Token> tokens = new ArrayList<>();
    DirectoryCodes.identifiers(service.getIdentifier(), "HealthcareService.identifier", tokens);
    tokens.add(new Token("name", DirectoryCodes.normalise(service.getName())));
    tokens.add(new Token("organization.identifier", References.ODS_SYSTEM + "|" + provider));
    DirectoryCodes.codes(service.getCategory(), DirectoryCodes.SERVICE_CATEGORY, DirectoryCodes.SERVICE_CATEGORIES,
        "HealthcareService.category", true).forEach(code -> tokens.add(new Token("service-category", code)));
    for (Extension extension : service.getExtensionsByUrl(DirectoryCodes.LOCALITY)) {
      if (!(extension.getValue() instanceof PrimitiveType<?> code) || code.getValueAsString() == null
          || !code.getValueAsString().matches("[A-Za-z0-9-]{1,40}")) {
        throw FhirException.unprocessable("Extension " + DirectoryCodes.LOCALITY + " needs a valueCode naming a"
            + " locality (letters, digits and dashes)");
      }
      tokens.add(new Token("locality", code.getValueAsString().toLowerCase(java.util.Locale.ROOT)));
    }
    List<Extension> capacity = service.getExtensionsByUrl(DirectoryCodes.CAPACITY);
    if (capacity.size() > 1 || (capacity.size() == 1 && (!(capacity.get(0).getValue() instanceof IntegerType value)
        || value.getValue() == null || value.getValue() < 0))) {
      throw FhirException.unprocessable("Extension " + DirectoryCodes.CAPACITY + " is given at most once, as a"
          + " valueInteger of 0 or more");
    }
    for (HealthcareServiceAvailableTimeComponent time : service.getAvailableTime()) {
      if (time.hasAvailableStartTime() && time.hasAvailableEndTime()
          && time.getAvailableStartTime().compareTo(time.getAvailableEndTime()) >= 0) {
        throw FhirException.unprocessable("HealthcareService.availableTime: availableStartTime must be before"
            + " availableEndTime");
      }
    }
    return tokens;
  }
}
