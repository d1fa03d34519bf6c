package org.tellonce.identity.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;
import java.util.Optional;

/** What each ICS configures about its person index: the identifier systems it accepts and how matching weighs. */
@ConfigMapping(prefix = "tellonce.identity")
public interface IdentityConfig {

  /** Identifier systems the index accepts, by a short name (nhs, council, vcse …); any other system is refused. */
  Map<String, IdentifierSystem> identifierSystems();

  Match match();

  interface IdentifierSystem {
    /** The FHIR Identifier.system URI. */
    String uri();

    /** A regular expression every value must match. */
    Optional<String> pattern();

    /** What the identifier is, for error messages and documentation. */
    String description();
  }

  /**
   * Fellegi–Sunter matching: for each compared field, m = P(agree | same person) and u = P(agree | different
   * people). Agreement adds log2(m/u), disagreement adds log2((1-m)/(1-u)), a missing value adds nothing.
   */
  interface Match {
    Field family();

    Field given();

    Field birthDate();

    Field gender();

    Field postcode();

    /** Score (sum of weights) from which a candidate is a certain match: registration links instead of creating. */
    double certain();

    /** Score from which a candidate is probable: registration creates the record and opens a review. */
    double probable();

    /** Score from which a candidate is possible and returned by $match. */
    double possible();

    /**
     * How much stronger (in log2 weight) the best candidate must be than the next one to stay certain; closer than
     * this, neither is more than probable.
     */
    @WithDefault("8")
    double certainMargin();

    /** Jaro–Winkler similarity from which two names agree. */
    @WithDefault("0.92")
    double nameAgree();

    /** Jaro–Winkler similarity from which two names partly agree (half the agreement weight). */
    @WithDefault("0.85")
    double namePartial();

    /** The most candidates the blocking query brings back for scoring. */
    @WithDefault("1000")
    int maxCandidates();

    /** From how many people in the index name frequencies are trusted (below it the configured u applies). */
    @WithDefault("10000")
    long frequencyMinPopulation();

    /** Names seen fewer times than this count as this rare. */
    @WithDefault("10")
    int frequencyMinCount();
  }

  interface Field {
    double m();

    double u();
  }
}
