package org.tellonce.consent.decision;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.tellonce.consent.decision.ConsentPolicy.Objection;
import org.tellonce.consent.decision.ConsentPolicy.Provision;
import org.tellonce.platform.decision.Purposes;

/**
 * Plain-English sentences for decisions: what a provision covers, with whom, since when, and how an objection stands.
 * They name organisations by code and the person as "the person": a reason never carries person data.
 */
final class Explain {

  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.UK);

  private Explain() {}

  static String day(LocalDate day) {
    return day.format(DAY);
  }

  /** "Withheld: the person asked for mental health information not to be shared with LA001 on 3 March 2026 …". */
  static String refusal(ConsentPolicy consent, Provision provision) {
    StringBuilder text = new StringBuilder("Withheld: ").append(consent.givenBy()).append(" asked for ").append(what(provision))
        .append(" not to be shared with ").append(whom(provision)).append(forWhat(provision)).append(on(consent));
    Objection objection = consent.objection();
    if (objection != null) {
      switch (objection.review()) {
        case PENDING -> text.append(". This objection to sharing for their care is enforced while a senior clinician"
            + " or privacy officer reviews it");
        case UPHELD -> text.append(". The objection was upheld by ").append(objection.reviewer()).append(" on ")
            .append(day(objection.reviewed()));
        case OVERRIDDEN -> { }
      }
    }
    return text.toString();
  }

  /** "Shared because the person consented on 3 March 2026 to sharing their information with VCS01". */
  static String consented(ConsentPolicy consent, Provision provision) {
    return "Shared because " + consent.givenBy() + " consented" + on(consent) + " to sharing " + what(provision) + " with "
        + whom(provision) + forWhat(provision);
  }

  static String overriddenObjection(ConsentPolicy consent, Provision provision) {
    Objection objection = consent.objection();
    String who = consent.givenBy();
    return Character.toUpperCase(who.charAt(0)) + who.substring(1) + " objected" + on(consent) + " to sharing " + what(provision) + " with " + whom(provision)
        + ", but " + objection.reviewer() + " overrode the objection on " + day(objection.reviewed()) + ": "
        + objection.reason();
  }

  /** The information categories of sensitive labels: "mental health information and HIV information". */
  static String categories(List<SecurityLabels.Label> labels) {
    return join(labels.stream().map(SecurityLabels.Label::category).distinct().toList());
  }

  /** Who may see these labels on implied consent: "clinicians and social workers", or null for nobody. */
  static String roles(List<SecurityLabels.Label> labels) {
    TreeSet<String> roles = new TreeSet<>(labels.get(0).impliedConsentRoles());
    labels.forEach(label -> roles.retainAll(label.impliedConsentRoles()));
    return roles.isEmpty() ? null : join(roles.stream().map(role -> role.replace('-', ' ') + "s").toList());
  }

  private static String what(Provision provision) {
    List<String> parts = new ArrayList<>();
    if (!provision.securityLabels().isEmpty()) {
      parts.add(join(provision.securityLabels().stream().sorted().map(SecurityLabels.current()::category).toList()));
    }
    if (!provision.resourceTypes().isEmpty()) {
      parts.add("their " + join(provision.resourceTypes().stream().sorted().toList()) + " records");
    }
    return parts.isEmpty() ? "their information" : String.join(" in ", parts);
  }

  private static String whom(Provision provision) {
    return provision.organizations().isEmpty() ? "anyone"
        : "organisation " + join(provision.organizations().stream().sorted().toList());
  }

  private static String forWhat(Provision provision) {
    return provision.purposes().isEmpty() ? ""
        : " for " + join(provision.purposes().stream().sorted().map(Purposes::words).toList());
  }

  private static String on(ConsentPolicy consent) {
    return consent.recorded() == null ? "" : " on " + day(consent.recorded());
  }

  private static String join(List<String> words) {
    if (words.size() <= 1) {
      return words.isEmpty() ? "" : words.get(0);
    }
    return String.join(", ", words.subList(0, words.size() - 1)) + " and " + words.get(words.size() - 1);
  }
}
