package org.tellonce.carerecord.record;

import jakarta.ws.rs.core.UriInfo;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.SearchEntryMode;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;
import org.tellonce.platform.fhir.Bundles;
import org.tellonce.platform.fhir.OperationOutcomes;

/** The searchset Bundle of one page: matches, includes, the total the caller may know, and the paging links. */
final class SearchBundles {

  private SearchBundles() {}

  static Bundle of(GatedReads.Result result, boolean countOnly, UriInfo uri, List<String> ignored, String notice) {
    Bundle bundle = new Bundle().setType(BundleType.SEARCHSET);
    bundle.setTimestamp(new Date());
    if (result.total() != null) {
      bundle.setTotal(result.total().intValue());
    }
    bundle.addLink().setRelation("self").setUrl(Bundles.self(uri));
    if (!countOnly) {
      bundle.addLink().setRelation("first").setUrl(Bundles.withoutParameter(uri, "_cursor"));
      if (result.next() != null) {
        bundle.addLink().setRelation("next").setUrl(Bundles.withParameter(uri, "_cursor", result.next().encode()));
      }
      for (GatedReads.Disclosed disclosed : result.resources()) {
        Resource resource = disclosed.resource();
        bundle.addEntry()
            .setFullUrl(resource.fhirType() + "/" + resource.getIdElement().getIdPart())
            .setResource(resource)
            .getSearch().setMode(disclosed.included() ? SearchEntryMode.INCLUDE : SearchEntryMode.MATCH);
      }
    }
    OperationOutcome outcome = OperationOutcomes.of(IssueSeverity.INFORMATION, IssueType.SUPPRESSED, notice);
    if (!ignored.isEmpty()) {
      outcome.addIssue().setSeverity(IssueSeverity.WARNING).setCode(IssueType.NOTSUPPORTED)
          .setDiagnostics("Ignored unknown search parameters (Prefer: handling=lenient): " + String.join(", ", ignored));
    }
    bundle.addEntry().setResource(outcome).getSearch().setMode(SearchEntryMode.OUTCOME);
    return bundle;
  }
}
