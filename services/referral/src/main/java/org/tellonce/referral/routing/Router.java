package org.tellonce.referral.routing;

import java.util.List;
import java.util.Map;

/** Picks the receiving organisation of a referral: the first category with a rule, else the single point of access. */
public final class Router {

  /** Where the referral goes and which rule sent it there. */
  public record Route(String recipient, String rule) {}

  private Router() {}

  public static Route route(List<String> categoryCodes, Map<String, String> rules, String singlePointOfAccess,
      int version) {
    for (String code : categoryCodes) {
      String recipient = rules.get(code);
      if (recipient != null) {
        return new Route(recipient, "v" + version + ":category=" + code);
      }
    }
    return new Route(singlePointOfAccess, "v" + version + ":single-point-of-access");
  }
}
