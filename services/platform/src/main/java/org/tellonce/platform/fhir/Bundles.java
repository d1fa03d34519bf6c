package org.tellonce.platform.fhir;

import jakarta.ws.rs.core.UriInfo;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.SearchEntryMode;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;

/** Search and history Bundles, and the strict reading of search parameters that goes with them. */
public final class Bundles {

  private Bundles() {}

  public static Bundle searchset(List<? extends Resource> matches, String self) {
    Bundle bundle = new Bundle().setType(BundleType.SEARCHSET).setTotal(matches.size());
    bundle.setTimestamp(new Date());
    bundle.addLink().setRelation("self").setUrl(self);
    for (Resource resource : matches) {
      bundle.addEntry()
          .setFullUrl(resource.fhirType() + "/" + resource.getIdElement().getIdPart())
          .setResource(resource)
          .getSearch().setMode(SearchEntryMode.MATCH);
    }
    return bundle;
  }

  /** A searchset of one keyset page: its total, and a next link carrying the cursor when there is a next page. */
  public static Bundle page(org.tellonce.platform.persistence.KeysetPage<? extends Resource> page, UriInfo uri) {
    Bundle bundle = searchset(page.items(), self(uri)).setTotal((int) page.total());
    if (page.next() != null) {
      bundle.addLink().setRelation("next").setUrl(withParameter(uri, "_cursor", page.next()));
    }
    return bundle;
  }

  /** Adds an OperationOutcome entry (search mode {@code outcome}) to tell the caller something about the search. */
  public static Bundle withOutcome(Bundle bundle, OperationOutcome outcome) {
    bundle.addEntry().setResource(outcome).getSearch().setMode(SearchEntryMode.OUTCOME);
    return bundle;
  }

  public static Bundle history(List<? extends Resource> versions, String self) {
    Bundle bundle = new Bundle().setType(BundleType.HISTORY).setTotal(versions.size());
    bundle.setTimestamp(new Date());
    bundle.addLink().setRelation("self").setUrl(self);
    for (Resource resource : versions) {
      bundle.addEntry()
          .setFullUrl(resource.fhirType() + "/" + resource.getIdElement().getIdPart())
          .setResource(resource)
          .getRequest().setMethod(resource.getMeta().getVersionId().equals("1")
              ? Bundle.HTTPVerb.POST : Bundle.HTTPVerb.PUT)
          .setUrl(resource.fhirType() + "/" + resource.getIdElement().getIdPart());
    }
    return bundle;
  }

  /** Refuses search parameters the endpoint does not support: ignoring one would return more than was asked for. */
  public static void requireOnly(UriInfo uri, Set<String> supported) {
    for (String name : uri.getQueryParameters().keySet()) {
      if (!supported.contains(name)) {
        throw FhirException.badRequest("Unsupported search parameter '" + name + "'; supported: " + supported);
      }
    }
  }

  /** The request URL relative to the server base with one parameter set (replaced if present), for paging links. */
  public static String withParameter(UriInfo uri, String name, String value) {
    return relative(uri, uri.getRequestUriBuilder().replaceQueryParam(name, value).build());
  }

  /** The request URL relative to the server base without a parameter, for a first-page link. */
  public static String withoutParameter(UriInfo uri, String name) {
    return relative(uri, uri.getRequestUriBuilder().replaceQueryParam(name).build());
  }

  private static String relative(UriInfo uri, java.net.URI url) {
    return url.toString().replaceFirst("^" + java.util.regex.Pattern.quote(uri.getBaseUri().toString()), "");
  }

  /** The request URL relative to the server base, for a Bundle's self link. */
  public static String self(UriInfo uri) {
    String query = uri.getRequestUri().getRawQuery();
    return uri.getPath().replaceFirst("^/", "") + (query == null ? "" : "?" + query);
  }
}
