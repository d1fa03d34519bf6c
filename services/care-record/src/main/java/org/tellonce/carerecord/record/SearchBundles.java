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
    return of(result, countOnly, uri, ignored, notice, PersonDemographics.Found.NONE);
  }

  /**
   * A page of {@code $everything}: the person's Patient (when identity gave it) as the first match, and a warning in
   * the outcome when identity could not be asked.
   */
  static Bundle everything(GatedReads.Result result, UriInfo uri, String notice, PersonDemographics.Found patient) {
    return of(result, false, uri, List.of(), notice, patient);
  }

  private static Bundle of(GatedReads.Result result, boolean countOnly, UriInfo uri, List<String> ignored,
      String notice, PersonDemographics.Found patient) {
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
      if (patient.patient() != null) {
        bundle.addEntry().setFullUrl("Patient/" + patient.patient().getIdElement().getIdPart())
            .setResource(patient.patient()).getSearch().setMode(SearchEntryMode.MATCH);
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
    if (patient.problem() != null) {
      outcome.addIssue().setSeverity(IssueSeverity.WARNING).setCode(IssueType.INCOMPLETE)
          .setDiagnostics(patient.problem());
    }
    bundle.addEntry().setResource(outcome).getSearch().setMode(SearchEntryMode.OUTCOME);
    return bundle;
  }
}
