package org.tellonce.identity.matching;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.tellonce.identity.config.IdentityConfig;
import org.tellonce.identity.patient.Demographics;

/**
 * Finds the people in the index who may be the one described. Candidates come only from blocking keys, each an index
 * lookup, so a match never scans the whole index: the birth date and its likely mistypings; the postcode; the phonetic
 * family and given names (either way round) within a year of the birth date; and, only when no birth date is known, the
 * phonetic names alone.
 */
@ApplicationScoped
public class PersonMatcher {

  private static final String CANDIDATES = """
      select id, nhs_number, family, given, birth_date, gender, postcode, restricted, recorded_by
      from person
      where active and replaced_by is null and (
        birth_date = any($1::date[])
        or postcode = $2
        or (family_key = dmetaphone($3) and given_key = dmetaphone($4) and birth_date between $5 and $6)
        or (family_key = dmetaphone($4) and given_key = dmetaphone($3) and birth_date between $5 and $6)
        or ($5::date is null and family_key = dmetaphone($3) and given_key = dmetaphone($4)))
      limit $7""";

  private final Scorer scorer;
  private final int maxCandidates;
  private final double certainMargin;

  @Inject Pool pool;
  @Inject NameFrequencies frequencies;

  @Inject
  PersonMatcher(IdentityConfig config) {
    this.scorer = new Scorer(config.match());
    this.maxCandidates = config.match().maxCandidates();
    this.certainMargin = config.match().certainMargin();
  }

  /** A person of the index scored against the query. */
  public record Candidate(String personId, Demographics demographics, String recordedBy, Scorer.Result result) {
    public MatchGrade grade() {
      return result.grade();
    }
  }

  /** The candidates at least possible, best first. */
  public Uni<List<Candidate>> match(Demographics query) {
    if (query.birthDate() == null && query.postcode() == null && (query.family() == null || query.given() == null)) {
      return Uni.createFrom().item(List.of());
    }
    LocalDate[] dates = query.birthDate() == null ? new LocalDate[0] : likelyDates(query.birthDate()).toArray(LocalDate[]::new);
    LocalDate from = query.birthDate() == null ? null : query.birthDate().minusYears(1).withDayOfYear(1);
    LocalDate to = query.birthDate() == null ? null : query.birthDate().plusYears(1).withMonth(12).withDayOfMonth(31);
    Tuple parameters = Tuple.tuple()
        .addArrayOfLocalDate(dates)
        .addString(query.postcode())
        .addString(query.family())
        .addString(query.given())
        .addLocalDate(from)
        .addLocalDate(to)
        .addInteger(maxCandidates);
    return pool.preparedQuery(CANDIDATES).execute(parameters).map(rows -> {
      List<Candidate> candidates = new ArrayList<>();
      for (Row row : rows) {
        Demographics demographics = new Demographics(
            row.getString("nhs_number"), row.getString("family"), row.getString("given"),
            row.getLocalDate("birth_date"), row.getString("gender"), row.getString("postcode"),
            row.getBoolean("restricted"));
        Scorer.Result result = scorer.score(query, demographics, frequencies);
        if (result.grade() != MatchGrade.CERTAINLY_NOT) {
          candidates.add(new Candidate(row.getString("id"), demographics, row.getString("recorded_by"), result));
        }
      }
      candidates.sort(Comparator.comparingDouble((Candidate c) -> c.result().weight()).reversed());
      return unique(candidates);
    });
  }

  /**
   * A certain match must stand alone: when another candidate is not clearly weaker (within the configured margin — two
   * people of the same name and birth date, or a duplicate already in the index), nothing is certain any more, and a
   * person decides. Candidates come best first.
   */
  List<Candidate> unique(List<Candidate> candidates) {
    if (candidates.size() < 2 || candidates.get(0).grade() != MatchGrade.CERTAIN
        || candidates.get(0).result().weight() - candidates.get(1).result().weight() > certainMargin) {
      return candidates;
    }
    return candidates.stream()
        .map(c -> c.grade() != MatchGrade.CERTAIN ? c : new Candidate(c.personId(), c.demographics(), c.recordedBy(),
            new Scorer.Result(c.result().weight(), c.result().score(), MatchGrade.PROBABLE)))
        .toList();
  }

  /** The date itself, day and month swapped, and each adjacent pair of digits swapped: the usual mistypings. */
  static Set<LocalDate> likelyDates(LocalDate date) {
    Set<LocalDate> dates = new LinkedHashSet<>();
    dates.add(date);
    String digits = "%04d%02d%02d".formatted(date.getYear(), date.getMonthValue(), date.getDayOfMonth());
    for (int i = 0; i + 1 < digits.length(); i++) {
      char[] swapped = digits.toCharArray();
      char c = swapped[i];
      swapped[i] = swapped[i + 1];
      swapped[i + 1] = c;
      parse(new String(swapped)).ifPresent(dates::add);
    }
    parse("%04d%02d%02d".formatted(date.getYear(), date.getDayOfMonth(), date.getMonthValue())).ifPresent(dates::add);
    return dates;
  }

  private static java.util.Optional<LocalDate> parse(String yyyymmdd) {
    try {
      return java.util.Optional.of(LocalDate.of(Integer.parseInt(yyyymmdd.substring(0, 4)),
          Integer.parseInt(yyyymmdd.substring(4, 6)), Integer.parseInt(yyyymmdd.substring(6, 8))));
    } catch (java.time.DateTimeException e) {
      return java.util.Optional.empty();
    }
  }
}
