package org.tellonce.identity.matching;

import java.time.LocalDate;
import java.util.Objects;
import org.apache.commons.codec.language.DoubleMetaphone;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.tellonce.identity.config.IdentityConfig;
import org.tellonce.identity.patient.Demographics;

/**
 * Fellegi–Sunter scoring of a candidate against the searched demographics. Each field adds its agreement weight
 * log2(m/u) when it agrees, half of it when it partly agrees (a similar name, a transposed birth date, the same
 * postcode district), its disagreement weight log2((1-m)/(1-u)) when it disagrees, and nothing when either side is
 * missing. Two different NHS numbers are never the same person.
 *
 * <p>A score over the certain threshold is graded certain only when the names agree (one of them may only partly
 * agree) and the birth date agrees exactly or transposed: twins share everything else, and nobody is linked on
 * address and family name alone.
 */
public final class Scorer {

  private static final JaroWinklerSimilarity JARO_WINKLER = new JaroWinklerSimilarity();
  private static final LevenshteinDistance LEVENSHTEIN = new LevenshteinDistance(1);
  private static final DoubleMetaphone METAPHONE = new DoubleMetaphone();

  private final IdentityConfig.Match config;
  private final Weights family;
  private final Weights given;
  private final Weights birthDate;
  private final Weights gender;
  private final Weights postcode;
  private final double maximum;

  public Scorer(IdentityConfig.Match config) {
    this.config = config;
    this.family = Weights.of(config.family());
    this.given = Weights.of(config.given());
    this.birthDate = Weights.of(config.birthDate());
    this.gender = Weights.of(config.gender());
    this.postcode = Weights.of(config.postcode());
    this.maximum = family.agree + given.agree + birthDate.agree + gender.agree + postcode.agree;
  }

  /** The outcome for one candidate: summed weight, a 0..1 score for Bundle.entry.search.score, and the grade. */
  public record Result(double weight, double score, MatchGrade grade) {}

  /**
   * How common a name is in the index: the share of people with it, or NaN when not known well enough (then the
   * configured u applies). A common name agreeing is weaker evidence than a rare one.
   */
  public interface Frequencies {
    Frequencies NONE = new Frequencies() {
      public double family(String value) {
        return Double.NaN;
      }

      public double given(String value) {
        return Double.NaN;
      }
    };

    double family(String value);

    double given(String value);
  }

  public Result score(Demographics query, Demographics candidate) {
    return score(query, candidate, Frequencies.NONE);
  }

  public Result score(Demographics query, Demographics candidate, Frequencies frequencies) {
    if (query.nhsNumber() != null && candidate.nhsNumber() != null) {
      if (query.nhsNumber().equals(candidate.nhsNumber())) {
        return new Result(maximum, 1.0, MatchGrade.CERTAIN);
      }
      return new Result(Double.NEGATIVE_INFINITY, 0.0, MatchGrade.CERTAINLY_NOT);
    }
    Agreement familyAgreement = names(query.family(), candidate.family());
    Agreement givenAgreement = names(query.given(), candidate.given());
    double familyAgree = family.agree(frequencies.family(candidate.family()));
    double givenAgree = given.agree(frequencies.given(candidate.given()));
    if (familyAgreement != Agreement.AGREE || givenAgreement != Agreement.AGREE) {
      Agreement swappedFamily = names(query.family(), candidate.given());
      Agreement swappedGiven = names(query.given(), candidate.family());
      if (swappedFamily == Agreement.AGREE && swappedGiven == Agreement.AGREE) {
        familyAgreement = Agreement.AGREE;
        givenAgreement = Agreement.AGREE;
      }
    }
    Agreement dateAgreement = dates(query.birthDate(), candidate.birthDate());
    Agreement genderAgreement = genders(query.gender(), candidate.gender());
    Agreement postcodeAgreement = postcodes(query.postcode(), candidate.postcode());

    double weight = family.of(familyAgreement, familyAgree) + given.of(givenAgreement, givenAgree)
        + birthDate.of(dateAgreement)
        + gender.of(genderAgreement) + postcode.of(postcodeAgreement);
    MatchGrade grade;
    if (weight >= config.certain()
        && (familyAgreement == Agreement.AGREE && givenAgreement == Agreement.PARTIAL
            || familyAgreement == Agreement.PARTIAL && givenAgreement == Agreement.AGREE
            || familyAgreement == Agreement.AGREE && givenAgreement == Agreement.AGREE)
        && (dateAgreement == Agreement.AGREE || dateAgreement == Agreement.PARTIAL)) {
      grade = MatchGrade.CERTAIN;
    } else if (weight >= config.probable()) {
      grade = MatchGrade.PROBABLE;
    } else if (weight >= config.possible()) {
      grade = MatchGrade.POSSIBLE;
    } else {
      grade = MatchGrade.CERTAINLY_NOT;
    }
    double score = Math.max(0.0, Math.min(0.99, weight / maximum));
    return new Result(weight, Math.round(score * 10000) / 10000.0, grade);
  }

  enum Agreement { AGREE, PARTIAL, DISAGREE, MISSING }

  /**
   * Names agree when Jaro–Winkler says so; they partly agree when it is close, when they sound the same (Double
   * Metaphone), or when one keyboard slip (a letter added, dropped, changed, or two swapped) turns one into the other.
   */
  Agreement names(String a, String b) {
    if (a == null || b == null) {
      return Agreement.MISSING;
    }
    double similarity = JARO_WINKLER.apply(a, b);
    if (similarity >= config.nameAgree()) {
      return Agreement.AGREE;
    }
    if (similarity >= config.namePartial() || oneSlipApart(a, b)
        || (a.length() >= 4 && b.length() >= 4 && METAPHONE.isDoubleMetaphoneEqual(a, b))) {
      return Agreement.PARTIAL;
    }
    return Agreement.DISAGREE;
  }

  /** One edit apart (Levenshtein 1) or two adjacent letters swapped, for names of four letters or more. */
  static boolean oneSlipApart(String a, String b) {
    if (a.length() < 4 || b.length() < 4) {
      return false;
    }
    if (LEVENSHTEIN.apply(a, b) == 1) {
      return true;
    }
    if (a.length() != b.length()) {
      return false;
    }
    int first = -1;
    for (int i = 0; i < a.length(); i++) {
      if (a.charAt(i) != b.charAt(i)) {
        if (first >= 0) {
          return i == first + 1 && a.charAt(first) == b.charAt(i) && a.charAt(i) == b.charAt(first)
              && a.substring(i + 1).equals(b.substring(i + 1));
        }
        first = i;
      }
    }
    return false;
  }

  static Agreement dates(LocalDate a, LocalDate b) {
    if (a == null || b == null) {
      return Agreement.MISSING;
    }
    if (a.equals(b)) {
      return Agreement.AGREE;
    }
    return transposed(a, b) ? Agreement.PARTIAL : Agreement.DISAGREE;
  }

  /**
   * Day and month swapped (a US-style entry), or two adjacent digits of YYYYMMDD swapped, or one digit mistyped
   * within the day or the year's last two digits.
   */
  static boolean transposed(LocalDate a, LocalDate b) {
    if (a.getYear() == b.getYear() && a.getMonthValue() == b.getDayOfMonth() && a.getDayOfMonth() == b.getMonthValue()) {
      return true;
    }
    String x = "%04d%02d%02d".formatted(a.getYear(), a.getMonthValue(), a.getDayOfMonth());
    String y = "%04d%02d%02d".formatted(b.getYear(), b.getMonthValue(), b.getDayOfMonth());
    int first = -1;
    int differences = 0;
    for (int i = 0; i < x.length(); i++) {
      if (x.charAt(i) != y.charAt(i)) {
        differences++;
        if (first < 0) {
          first = i;
        }
      }
    }
    if (differences == 2 && first + 1 < x.length()
        && x.charAt(first) == y.charAt(first + 1) && x.charAt(first + 1) == y.charAt(first)) {
      return true;
    }
    return differences == 1 && (first == 2 || first == 3 || first == 6 || first == 7);
  }

  static Agreement genders(String a, String b) {
    if (a == null || b == null || "unknown".equals(a) || "unknown".equals(b)) {
      return Agreement.MISSING;
    }
    return a.equals(b) ? Agreement.AGREE : Agreement.DISAGREE;
  }

  static Agreement postcodes(String a, String b) {
    if (a == null || b == null) {
      return Agreement.MISSING;
    }
    if (a.equals(b)) {
      return Agreement.AGREE;
    }
    return Objects.equals(Demographics.outward(a), Demographics.outward(b)) ? Agreement.PARTIAL : Agreement.DISAGREE;
  }

  private record Weights(double m, double agree, double disagree) {
    static Weights of(IdentityConfig.Field field) {
      double m = field.m();
      double u = field.u();
      if (!(m > 0 && m < 1 && u > 0 && u < 1 && m > u)) {
        throw new IllegalArgumentException("Matching weights need 0 < u < m < 1; got m=" + m + ", u=" + u);
      }
      return new Weights(m, log2(m / u), log2((1 - m) / (1 - u)));
    }

    /** The agreement weight for a value of this frequency (NaN: the configured u). */
    double agree(double frequency) {
      return Double.isNaN(frequency) || frequency <= 0 || frequency >= m ? agree : log2(m / frequency);
    }

    double of(Agreement agreement) {
      return of(agreement, agree);
    }

    double of(Agreement agreement, double agreeWeight) {
      return switch (agreement) {
        case AGREE -> agreeWeight;
        case PARTIAL -> agreeWeight / 2;
        case DISAGREE -> disagree;
        case MISSING -> 0;
      };
    }

    private static double log2(double x) {
      return Math.log(x) / Math.log(2);
    }
  }
}
