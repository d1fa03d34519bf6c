package org.tellonce.identity.directory;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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
import org.tellonce.platform.outbox.Outbox;
import org.tellonce.platform.security.Actor;
import org.tellonce.identity.IdentityTopics;

/**
 * A team that receives referrals: the organisation providing it (by ODS code), service categories, the localities it
 * covers, opening hours ({@code availableTime}) and capacity (an extension: how many open referrals it can hold).
 */
@ApplicationScoped
public class HealthcareServiceKind implements DirectoryKind<HealthcareService> {

  @Inject Outbox outbox;

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

  /**
   * Tells referral routing about the team as it now is: who provides it, categories, localities, capacity and when it
   * is closed (inactive, or a notAvailable period). Compacted by the service's id.
   */
  @Override
  public Uni<Void> afterWrite(String id, HealthcareService service, HealthcareService previous, Actor actor) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("serviceId", id);
    data.put("version", Integer.parseInt(service.getMeta().getVersionId()));
    data.put("active", !service.hasActive() || service.getActive());
    data.put("name", service.getName());
    data.put("organization", References.organizationCode(service.getProvidedBy()));
    data.put("categories", DirectoryCodes.codes(service.getCategory(), DirectoryCodes.SERVICE_CATEGORY,
        DirectoryCodes.SERVICE_CATEGORIES, "HealthcareService.category", true));
    data.put("localities", service.getExtensionsByUrl(DirectoryCodes.LOCALITY).stream()
        .map(e -> ((PrimitiveType<?>) e.getValue()).getValueAsString().toLowerCase(java.util.Locale.ROOT)).toList());
    List<Extension> capacity = service.getExtensionsByUrl(DirectoryCodes.CAPACITY);
    if (!capacity.isEmpty()) {
      data.put("capacity", ((IntegerType) capacity.get(0).getValue()).getValue());
    }
    List<Map<String, String>> closed = new ArrayList<>();
    for (HealthcareService.HealthcareServiceNotAvailableComponent period : service.getNotAvailable()) {
      Map<String, String> during = new LinkedHashMap<>();
      if (period.hasDuring() && period.getDuring().hasStart()) {
        during.put("start", period.getDuring().getStart().toInstant().toString());
      }
      if (period.hasDuring() && period.getDuring().hasEnd()) {
        during.put("end", period.getDuring().getEnd().toInstant().toString());
      }
      if (!during.isEmpty()) {
        closed.add(during);
      }
    }
    data.put("notAvailable", closed);
    return outbox.publish(IdentityTopics.DIRECTORY, id, IdentityTopics.HEALTHCARE_SERVICE_CHANGED, id, data)
        .replaceWithVoid();
  }
}
