package org.tellonce.carerecord.record;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.SearchEntryMode;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;
import org.tellonce.carerecord.access.PurposeOfUse;
import org.tellonce.carerecord.search.SearchRequest;
import org.tellonce.platform.fhir.Bundles;
import org.tellonce.platform.fhir.OperationOutcomes;
import org.tellonce.platform.fhir.SearchParameters;
import org.tellonce.platform.security.Actor;

/**
 * {@code GET /fhir/Task/$overdue} (served by {@link RecordResource}): the caller's organisation's worklist of overdue MDT actions across the people it
 * works with — open Tasks it owns ({@code owner}) whose due date ({@code restriction.period.end}) has passed, oldest
 * first. Each person's actions are read through the consent gate like any search (one decision and one AuditEvent per
 * person), so an action about someone the caller may not see is not listed, and nothing says it exists.
 */
@ApplicationScoped
public class OverdueWorklist {

  static final int DEFAULT_COUNT = 50;
  /** How many overdue actions are considered, oldest first, to fill the page. */
  static final int CANDIDATES = 1000;

  static final String OVERDUE = """
      select r.person_id, r.id
      from record_index o
      join record_resource r on r.resource_type = 'Task' and r.id = o.id and not r.deleted
      join record_index d on d.resource_type = 'Task' and d.id = r.id and d.param = 'due'
      where o.resource_type = 'Task' and o.param = 'owner' and o.code = $1 and d.high < now()
        and not exists (select 1 from record_index s where s.resource_type = 'Task' and s.id = r.id
                        and s.param = 'status' and s.code in (%s))
      order by d.high, r.id
      limit $2""".formatted(org.tellonce.carerecord.mdt.OverdueActions.CLOSED);

  @Inject Pool pool;
  @Inject GatedReads reads;

  /** The page of the worklist: up to {@code count} actions (default 50), oldest first. */
  public Uni<Bundle> overdue(Actor who, String organization, String count, String purpose, UriInfo uri) {
    int limit = SearchParameters.count(count, DEFAULT_COUNT, SearchRequest.MAX_COUNT);
    String purposeOfUse = PurposeOfUse.of(purpose);
    return pool.preparedQuery(OVERDUE).execute(Tuple.of(organization, CANDIDATES)).chain(rows -> {
      Map<String, List<String>> byPerson = new LinkedHashMap<>();
      Map<String, Integer> rank = new HashMap<>();
      for (Row row : rows) {
        String id = row.getString("id");
        rank.putIfAbsent(id, rank.size());
        byPerson.computeIfAbsent(row.getString("person_id"), p -> new ArrayList<>()).add(id);
      }
      List<Resource> found = new ArrayList<>();
      Set<String> seen = new LinkedHashSet<>();
      Uni<Void> chain = Uni.createFrom().voidItem();
      for (Map.Entry<String, List<String>> person : byPerson.entrySet()) {
        chain = chain.chain(() -> found.size() >= limit ? Uni.createFrom().voidItem()
            : reads.search(who, SearchRequest.parse("Task", Map.of("patient", List.of(person.getKey()),
                    "_id", List.of(String.join(",", person.getValue())),
                    "_count", List.of(String.valueOf(Math.min(person.getValue().size(), SearchRequest.MAX_COUNT)))),
                    Set.of("patient"), false), purposeOfUse)
                .invoke(result -> result.resources().stream().filter(d -> !d.included()).map(GatedReads.Disclosed::resource)
                    .filter(r -> seen.add(r.getIdElement().getIdPart())).forEach(found::add))
                .replaceWithVoid());
      }
      return chain.map(done -> {
        found.sort(Comparator.comparing(r -> rank.getOrDefault(r.getIdElement().getIdPart(), Integer.MAX_VALUE)));
        return bundle(found.subList(0, Math.min(limit, found.size())), uri);
      });
    });
  }

  private static Bundle bundle(List<Resource> actions, UriInfo uri) {
    Bundle bundle = new Bundle().setType(BundleType.SEARCHSET);
    bundle.setTimestamp(new Date());
    bundle.addLink().setRelation("self").setUrl(Bundles.self(uri));
    for (Resource action : actions) {
      bundle.addEntry().setFullUrl("Task/" + action.getIdElement().getIdPart()).setResource(action)
          .getSearch().setMode(SearchEntryMode.MATCH);
    }
    bundle.addEntry().setResource(OperationOutcomes.of(IssueSeverity.INFORMATION, IssueType.SUPPRESSED,
        RecordResource.MAY_BE_WITHHELD)).getSearch().setMode(SearchEntryMode.OUTCOME);
    return bundle;
  }
}
