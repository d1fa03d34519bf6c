package org.tellonce.platform.fhir;

import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Date;
import org.hl7.fhir.r4.model.Resource;

/** FHIR REST answers for a versioned resource (Location, ETag, Last-Modified) and the If-Match check of an update. */
public final class Versioned {

  private Versioned() {}

  /** 201 Created with the Location of the new version. */
  public static Response created(Resource resource) {
    return answer(Response.status(Response.Status.CREATED), resource, true);
  }

  /** 200 OK with the resource as stored (an update, or a create that found the resource already there). */
  public static Response ok(Resource resource) {
    return answer(Response.ok(), resource, false);
  }

  /** 200 OK with a resource as stored, answered without being parsed and encoded again. */
  public static Response ok(EncodedResource resource) {
    return versionHeaders(Response.ok().type(Fhir.JSON).entity(resource), resource.versionId(),
        resource.lastUpdated()).build();
  }

  /** 200 OK with the Content-Location of the version, for an update or a create that linked to an existing record. */
  public static Response okAt(Resource resource) {
    return answer(Response.ok(), resource, true);
  }

  private static Response answer(Response.ResponseBuilder builder, Resource resource, boolean location) {
    String version = resource.getMeta().getVersionId();
    builder.type(Fhir.JSON).entity(resource);
    if (version != null && location) {
      builder.location(URI.create(resource.fhirType() + "/" + resource.getIdElement().getIdPart()
          + "/_history/" + version));
    }
    return versionHeaders(builder, version, resource.getMeta().getLastUpdated()).build();
  }

  /** The ETag of the version and its Last-Modified, each when known. */
  private static Response.ResponseBuilder versionHeaders(Response.ResponseBuilder builder, String version,
      Date lastUpdated) {
    if (version != null) {
      builder.header("ETag", "W/\"" + version + "\"");
    }
    if (lastUpdated != null) {
      builder.lastModified(lastUpdated);
    }
    return builder;
  }

  /**
   * The version an {@code If-Match} header asks for ({@code W/"3"} or {@code "3"}), or null without the header; a
   * header in another form is a 400.
   */
  public static Integer ifMatch(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String value = header.trim();
    if (value.startsWith("W/")) {
      value = value.substring(2);
    }
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      value = value.substring(1, value.length() - 1);
    }
    try {
      int version = Integer.parseInt(value);
      if (version < 1) {
        throw new NumberFormatException();
      }
      return version;
    } catch (NumberFormatException e) {
      throw FhirException.badRequest("If-Match must name a version as W/\"n\"");
    }
  }

  /** A 412 unless the stored version is the one the caller's If-Match names (no header: no check). */
  public static void check(Integer expected, int stored, String what) {
    if (expected != null && expected != stored) {
      throw FhirException.preconditionFailed(what + " is at version " + stored + ", not " + expected
          + "; read it again and reapply your change");
    }
  }
}
