package org.tellonce.platform.fhir;

import java.util.Date;
import java.util.Objects;

/**
 * A resource already encoded as FHIR JSON by {@link Fhir#encode} (as the record stores it), answered as it is: no
 * parse into HAPI's model and no second encoding on the way out. Only for JSON that needs no change before it is
 * disclosed (a read that carries out an obligation answers the changed resource's encoding).
 *
 * @param json the encoded resource
 * @param versionId its {@code meta.versionId}, for the ETag (null for none)
 * @param lastUpdated its {@code meta.lastUpdated}, for Last-Modified (null for none)
 */
public record EncodedResource(String json, String versionId, Date lastUpdated) {

  public EncodedResource {
    Objects.requireNonNull(json, "json");
  }
}
