package org.tellonce.consent.decision;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tellonce.platform.person.PersonAliases;

/**
 * Everything one decision rests on, read in one SQL statement — so in one round trip and from one snapshot of the
 * database: the person's records (following merges), revision, care-team organisations, derived relationships, active
 * consents with the latest review of each objection, date of birth, latest capacity assessment, restriction, the
 * requesting user's active break-glass grant, and the active agreements.
 */
@ApplicationScoped
public class PersonStateQuery {

  static final String SQL = """
      with recursive up(id, depth) as (
        select $1::text, 0
        union all
        select a.target_id, up.depth + 1 from person_alias a join up on a.source_id = up.id where up.depth < $2),
      cur as (select id from up order by depth desc limit 1),
      down(id, depth) as (
        select (select id from cur), 0
        union all
        select a.source_id, down.depth + 1 from person_alias a join down on a.target_id = down.id
        where down.depth < $2),
      recs as (select id, min(depth) as depth from down group by id)
      select
        (select json_agg(id order by depth, id) from recs) as records,
        coalesce((select revision from person_revision where person_id = (select id from cur)), 0) as revision,
        (select json_agg(distinct organization) from care_team_member where person_id = any(array(select id from recs)))
          as care_team,
        (select json_agg(json_build_array(organization, source_type) order by source_type, organization)
           from relationship where person_id = any(array(select id from recs)) and active) as relationships,
        (select json_agg(json_build_object('id', c.id, 'personId', c.person_id, 'version', c.version,
             'objection', c.objection, 'nationalOptOut', c.national_opt_out,
             'reviewVersion', r.consent_version, 'outcome', r.outcome, 'reviewer', r.reviewer,
             'role', r.reviewer_role, 'reviewerOrganization', r.reviewer_organization,
             'reviewed', r.reviewed_at::date, 'reason', r.reason) order by c.id)
           from consent_record c
           left join lateral (select * from objection_review o where o.consent_id = c.id
                              order by o.reviewed_at desc, o.id limit 1) r on c.objection
           where c.person_id = any(array(select id from recs)) and c.status = 'active') as consents,
        (select birth_date from person_status where person_id = (select id from cur)) as birth_date,
        (select json_build_object('hasCapacity', has_capacity, 'assessed', assessed_on, 'assessment', assessment)
           from capacity_assessment where person_id = any(array(select id from recs)) and decision = 'information-sharing'
           order by assessed_on desc, recorded_at desc limit 1) as capacity,
        (select json_build_object('recordedBy', recorded_by) from person_status
           where person_id = any(array(select id from recs)) and restricted order by person_id limit 1) as restriction,
        (select g.id from break_glass g where g.person_id = any(array(select id from recs)) and g.organization = $3
           and g.username = $4 and g.expires_at > now() order by g.expires_at desc limit 1) as grant_id,
        (select json_agg(json_build_array(id, version) order by id)
           from sharing_agreement where status = 'active') as agreements
      """;

  /** The text of Consent versions (immutable), for the few a decision has not parsed before. */
  static final String CONSENT_TEXT = """
      select v.consent_id, v.version, v.resource from consent_version v
      join unnest($1::text[], $2::int[]) as wanted(id, version) on v.consent_id = wanted.id and v.version = wanted.version
      """;

  /** Agreements as they are now, for the few a decision has not parsed before. */
  static final String AGREEMENT_TEXT = "select id, version, status, body from sharing_agreement where id = any($1)";

  @Inject Pool pool;

  /**
   * An active Consent as stored, with the latest review when it is an objection (review fields null otherwise).
   * {@code resource} is the Consent's text when it was read ({@link #withText}), null when only its version was.
   */
  public record ConsentRow(String id, String personId, int version, String resource, boolean objection,
      boolean nationalOptOut, Integer reviewVersion, String outcome, String reviewer, String role,
      String reviewerOrganization, LocalDate reviewed, String reason) {

    /** This version's key ({@code id/version}): a version's text never changes. */
    public String key() {
      return id + "/" + version;
    }

    ConsentRow withResource(String text) {
      return new ConsentRow(id, personId, version, text, objection, nationalOptOut, reviewVersion, outcome, reviewer,
          role, reviewerOrganization, reviewed, reason);
    }
  }

  /** An active agreement; {@code body} as for {@link ConsentRow#resource}. */
  public record AgreementRow(String id, int version, String body) {

    /** This version's key ({@code id/version}). */
    public String key() {
      return id + "/" + version;
    }
  }

  /** The person as one decision sees them. {@code restrictedBy} is null unless a record is restricted. */
  public record Snapshot(List<String> records, long revision, Set<String> careTeam,
      Map<String, String> relationshipTypes, List<ConsentRow> consents, LocalDate birthDate, JsonObject capacity,
      boolean restricted, String restrictedBy, String grant, List<AgreementRow> agreements) {}

  /** {@code organization} and {@code user} name whose break-glass grant counts (both null: none is looked for). */
  public Uni<Snapshot> load(String personId, String organization, String user) {
    return pool.preparedQuery(SQL).execute(Tuple.of(personId, PersonAliases.MAX_CHAIN, organization, user))
        .map(rows -> snapshot(rows.iterator().next()));
  }

  /**
   * The snapshot with the text of the given Consents and agreements filled in — one statement for each kind, only
   * when asked for any. A Consent version is immutable, so reading its text later reads what the snapshot saw. An
   * agreement changed since is read as it is now (its newer state, never an older one), and left out once no longer
   * active.
   */
  public Uni<Snapshot> withText(Snapshot snapshot, Set<String> consentIds, Set<String> agreementIds) {
    List<ConsentRow> wanted = snapshot.consents().stream().filter(c -> consentIds.contains(c.id())).toList();
    Uni<Map<String, String>> consentText = wanted.isEmpty() ? Uni.createFrom().item(Map.of())
        : pool.preparedQuery(CONSENT_TEXT)
            .execute(Tuple.of(wanted.stream().map(ConsentRow::id).toArray(String[]::new),
                wanted.stream().map(ConsentRow::version).toArray(Integer[]::new)))
            .map(rows -> {
              Map<String, String> text = new java.util.HashMap<>();
              rows.forEach(r -> text.put(r.getString("consent_id") + "/" + r.getInteger("version"),
                  r.getString("resource")));
              return text;
            });
    Uni<Map<String, AgreementRow>> agreementText = agreementIds.isEmpty() ? Uni.createFrom().item(Map.of())
        : pool.preparedQuery(AGREEMENT_TEXT).execute(Tuple.of(agreementIds.toArray(String[]::new)))
            .map(rows -> {
              Map<String, AgreementRow> text = new java.util.HashMap<>();
              rows.forEach(r -> text.put(r.getString("id"), "active".equals(r.getString("status"))
                  ? new AgreementRow(r.getString("id"), r.getInteger("version"), r.getString("body")) : null));
              return text;
            });
    return Uni.combine().all().unis(consentText, agreementText).asTuple().map(texts -> {
      List<ConsentRow> consents = snapshot.consents().stream()
          .map(c -> consentIds.contains(c.id()) ? c.withResource(texts.getItem1().get(c.key())) : c)
          .toList();
      List<AgreementRow> agreements = new ArrayList<>();
      for (AgreementRow a : snapshot.agreements()) {
        if (!agreementIds.contains(a.id())) {
          agreements.add(a);
        } else if (texts.getItem2().get(a.id()) != null) {
          agreements.add(texts.getItem2().get(a.id()));
        }
      }
      return new Snapshot(snapshot.records(), snapshot.revision(), snapshot.careTeam(), snapshot.relationshipTypes(),
          consents, snapshot.birthDate(), snapshot.capacity(), snapshot.restricted(), snapshot.restrictedBy(),
          snapshot.grant(), agreements);
    });
  }

  private static Snapshot snapshot(Row row) {
    List<String> records = new ArrayList<>();
    array(row, "records").forEach(id -> records.add((String) id));
    Set<String> careTeam = new TreeSet<>();
    array(row, "care_team").forEach(org -> careTeam.add((String) org));
    Map<String, String> relationships = new LinkedHashMap<>();
    for (Object pair : array(row, "relationships")) {
      JsonArray organizationAndType = (JsonArray) pair;
      relationships.putIfAbsent(organizationAndType.getString(0), organizationAndType.getString(1));
    }
    List<ConsentRow> consents = new ArrayList<>();
    for (Object item : array(row, "consents")) {
      JsonObject c = (JsonObject) item;
      consents.add(new ConsentRow(c.getString("id"), c.getString("personId"), c.getInteger("version"),
          null, c.getBoolean("objection"), c.getBoolean("nationalOptOut"),
          c.getInteger("reviewVersion"), c.getString("outcome"), c.getString("reviewer"), c.getString("role"),
          c.getString("reviewerOrganization"), c.getString("reviewed") == null ? null
              : LocalDate.parse(c.getString("reviewed")), c.getString("reason")));
    }
    List<AgreementRow> agreements = new ArrayList<>();
    for (Object item : array(row, "agreements")) {
      JsonArray idAndVersion = (JsonArray) item;
      agreements.add(new AgreementRow(idAndVersion.getString(0), idAndVersion.getInteger(1), null));
    }
    JsonObject restriction = (JsonObject) row.getValue("restriction");
    return new Snapshot(records, row.getLong("revision"), careTeam, relationships, consents,
        row.getLocalDate("birth_date"), (JsonObject) row.getValue("capacity"), restriction != null,
        restriction == null ? null : restriction.getString("recordedBy"), row.getString("grant_id"), agreements);
  }

  private static JsonArray array(Row row, String column) {
    Object value = row.getValue(column);
    return value == null ? new JsonArray() : (JsonArray) value;
  }
}
