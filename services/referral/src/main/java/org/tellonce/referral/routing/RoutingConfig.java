package org.tellonce.referral.routing;

import io.smallrye.config.ConfigMapping;
import java.util.Map;

/** Routing rules, versioned with the deployment's configuration (a ConfigMap in Kubernetes). */
@ConfigMapping(prefix = "tellonce.routing")
public interface RoutingConfig {

  /** Raised whenever the rules change; every routed referral records the version that routed it. */
  int version();

  /** Where a referral goes when no rule matches: no wrong door. */
  String singlePointOfAccess();

  /** ServiceRequest.category code to receiving organisation code. */
  Map<String, String> category();
}
