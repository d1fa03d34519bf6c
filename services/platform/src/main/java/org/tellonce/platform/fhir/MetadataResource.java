package org.tellonce.platform.fhir;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import java.util.Date;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementKind;
import org.hl7.fhir.r4.model.CapabilityStatement.RestfulCapabilityMode;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations.FHIRVersion;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;

/** {@code GET /fhir/metadata}: the CapabilityStatement of this service, built from its {@link ServerCapabilities}. */
@Path("/fhir/metadata")
public class MetadataResource {

  @Inject Instance<ServerCapabilities> capabilities;

  @ConfigProperty(name = "quarkus.application.name")
  String service;

  @ConfigProperty(name = "quarkus.application.version", defaultValue = "0.1.0")
  String version;

  private volatile CapabilityStatement statement;

  @GET
  @Produces({Fhir.JSON, "application/json"})
  public CapabilityStatement metadata() {
    if (statement == null) {
      statement = build();
    }
    return statement;
  }

  private CapabilityStatement build() {
    ServerCapabilities server = capabilities.get();
    CapabilityStatement cs = new CapabilityStatement();
    cs.setStatus(PublicationStatus.ACTIVE)
        .setDate(new Date())
        .setKind(CapabilityStatementKind.INSTANCE)
        .setFhirVersion(FHIRVersion._4_0_1)
        .setTitle(server.title())
        .setName("tellonce-" + service)
        .setPublisher("tellonce")
        .addFormat("application/fhir+json")
        .addFormat("json");
    cs.getSoftware().setName("tellonce " + service).setVersion(version);
    CapabilityStatement.CapabilityStatementRestComponent rest = cs.addRest().setMode(RestfulCapabilityMode.SERVER);
    rest.getSecurity()
        .setCors(false)
        .setDescription("OAuth2 bearer tokens from the tellonce Keycloak realm; every read of person data is consent-gated")
        .addService(new CodeableConcept(new Coding(
            "http://terminology.hl7.org/CodeSystem/restful-security-service", "OAuth", "OAuth")));
    // Sorted, so the statement is the same on every start and can be kept as a contract (contracts/fhir/).
    for (ServerCapabilities.ResourceCapability resource : server.resources().stream()
        .sorted(java.util.Comparator.comparing(ServerCapabilities.ResourceCapability::type)).toList()) {
      var component = rest.addResource().setType(resource.type());
      resource.interactions().forEach(i -> component.addInteraction().setCode(TypeRestfulInteraction.fromCode(i)));
      new java.util.TreeMap<>(resource.searchParameters()).forEach((name, type) ->
          component.addSearchParam().setName(name).setType(SearchParamType.fromCode(type)));
    }
    server.systemInteractions().forEach(i -> rest.addInteraction()
        .setCode(CapabilityStatement.SystemRestfulInteraction.fromCode(i)));
    // "Patient-everything" names the operation "everything", defined by OperationDefinition/Patient-everything.
    server.operations().forEach(op -> {
      String id = op.substring(op.lastIndexOf('/') + 1);
      rest.addOperation()
          .setName(id.matches("[A-Z][A-Za-z]+-.+") ? id.substring(id.indexOf('-') + 1) : id)
          .setDefinition(op.contains("://") ? op : "http://hl7.org/fhir/OperationDefinition/" + op);
    });
    return cs;
  }
}
