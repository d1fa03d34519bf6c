package org.tellonce.referral.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {

  static final Map<String, String> RULES = Map.of("mental-health", "MHT01", "social-care", "LA001");

  @Test
  void routesByTheFirstCategoryWithARule() {
    Router.Route route = Router.route(List.of("unknown", "mental-health", "social-care"), RULES, "SPA01", 3);
    assertThat(route.recipient()).isEqualTo("MHT01");
    assertThat(route.rule()).isEqualTo("v3:category=mental-health");
  }

  @Test
  void sendsEverythingElseToTheSinglePointOfAccess() {
    assertThat(Router.route(List.of("dentistry"), RULES, "SPA01", 3).recipient()).isEqualTo("SPA01");
    assertThat(Router.route(List.of(), RULES, "SPA01", 3).rule()).isEqualTo("v3:single-point-of-access");
  }
}
