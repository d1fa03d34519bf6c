package org.tellonce.referral.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The routing rules of a deployment, as read from {@code rules.yaml}: versioned, tried in order (the first rule that
 * matches routes the referral), each with its response times by priority and its escalation route. Reading checks
 * everything and reports every problem with where it is, so a bad file is refused whole and never half-applied.
 */
public record RoutingRules(int version, String singlePointOfAccess, Map<String, Deadline> sla,
    List<EscalationStep> escalation, List<Rule> rules) {

  /** ServiceRequest.priority codes. */
  public static final List<String> PRIORITIES = List.of("routine", "urgent", "asap", "stat");
  /** Who an escalation step tells, in the order of seniority. */
  public static final List<String> ESCALATION_ROLES = List.of("team-manager", "service-lead", "ics-on-call");
  /** The service categories of the directory (https://fhir.tellonce.org/CodeSystem/service-category). */
  public static final Set<String> SERVICE_CATEGORIES = Set.of("community-mental-health", "crisis",
      "social-care-assessment", "carer-support", "housing", "social-prescribing", "substance-use",
      "discharge-follow-up", "primary-care", "wellbeing", "mental-health", "social-care");
  static final String ORGANIZATION = "[A-Za-z0-9]{3,12}";

  /** One step of an escalation route: after this long past the deadline, tell this role. */
  public record EscalationStep(Duration after, String to) {}

  /** What a rule asks of a referral; an empty list asks nothing of that fact. */
  public record Match(Set<String> categories, Set<String> priorities, Set<String> localities, Integer minAge,
      Integer maxAge, Set<String> reasons) {}

  /**
   * Where a matching rule sends a referral: a team of the directory with {@code serviceCategory} (within
   * {@code organizations} when given, covering the person's locality, open and not full; {@code prefer} capacity or
   * first), else {@code fallback}; or straight to {@code organization}.
   */
  public record Route(String serviceCategory, Set<String> organizations, String prefer, String organization,
      String fallback) {}

  /**
   * A rule: what it matches, where it routes, its own response times and escalation route (else the defaults), and
   * for a discharge the time within which the person must be followed up after leaving hospital.
   */
  public record Rule(String id, String description, Match match, Route route, Map<String, Deadline> sla,
      List<EscalationStep> escalation, Deadline followUp) {}

  /** Follow-up after discharge, when a rule does not say: 72 hours, as for acute discharge. */
  public static final Deadline FOLLOW_UP = new Deadline.Elapsed(Duration.ofHours(72));

  /** A file that cannot be used, with every problem found. */
  public static class Invalid extends Exception {
    private final List<String> problems;

    public Invalid(List<String> problems) {
      super(problems.size() + " problem(s) in the routing rules: " + String.join("; ", problems));
      this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
      return problems;
    }
  }

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** The response time for a priority under a rule (the rule's own, else the defaults). */
  public Deadline deadline(Rule rule, String priority) {
    Deadline own = rule == null ? null : rule.sla().get(priority);
    return own != null ? own : sla.get(priority);
  }

  public List<EscalationStep> escalation(Rule rule) {
    return rule == null || rule.escalation().isEmpty() ? escalation : rule.escalation();
  }

  public Deadline followUp(Rule rule) {
    return rule == null || rule.followUp() == null ? FOLLOW_UP : rule.followUp();
  }

  /** The rule with this id, or null (a referral routed under rules since changed keeps the defaults). */
  public Rule rule(String id) {
    if (id == null) {
      return null;
    }
    for (Rule rule : rules) {
      if (rule.id().equals(id)) {
        return rule;
      }
    }
    return null;
  }

  /**
   * Reads and checks rules.
   *
   * @param localities the localities the locality file knows; a rule naming another is refused
   */
  public static RoutingRules parse(String text, Set<String> localities) throws Invalid {
    List<String> problems = new ArrayList<>();
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (Exception e) {
      throw new Invalid(List.of("not readable as YAML: " + firstLine(e.getMessage())));
    }
    if (root == null || !root.isObject()) {
      throw new Invalid(List.of("the file must be a mapping with version, singlePointOfAccess, defaults and rules"));
    }
    known(root, "", problems, "version", "singlePointOfAccess", "defaults", "rules");
    int version = root.path("version").isInt() && root.path("version").asInt() > 0 ? root.path("version").asInt() : 0;
    if (version == 0) {
      problems.add("version: a whole number above 0, raised with every change");
    }
    JsonNode spa = root.path("singlePointOfAccess");
    known(spa, "singlePointOfAccess.", problems, "organization", "name");
    String singlePointOfAccess = organization(spa.path("organization"), "singlePointOfAccess.organization", problems);
    JsonNode defaults = root.path("defaults");
    known(defaults, "defaults.", problems, "sla", "escalation");
    Map<String, Deadline> sla = sla(defaults.path("sla"), "defaults.sla", problems);
    for (String priority : PRIORITIES) {
      if (!sla.containsKey(priority) && defaults.path("sla").isObject()) {
        problems.add("defaults.sla." + priority + ": every priority needs a default response time");
      }
    }
    if (!defaults.path("sla").isObject()) {
      problems.add("defaults.sla: response times by priority (" + String.join(", ", PRIORITIES) + ")");
    }
    List<EscalationStep> escalation = escalation(defaults.path("escalation"), "defaults.escalation", problems);
    List<Rule> rules = new ArrayList<>();
    Set<String> ids = new LinkedHashSet<>();
    JsonNode list = root.path("rules");
    if (!list.isArray()) {
      problems.add("rules: a list of rules (it may be empty: everything then goes to the single point of access)");
    } else {
      for (int i = 0; i < list.size(); i++) {
        JsonNode node = list.get(i);
        String at = "rules[" + i + "]";
        known(node, at + ".", problems, "id", "description", "match", "route", "sla", "escalation", "followUp");
        String id = node.path("id").asText("");
        if (!id.matches("[a-z0-9][a-z0-9-]{0,60}")) {
          problems.add(at + ".id: lower-case letters, digits and dashes, unique");
        } else if (!ids.add(id)) {
          problems.add(at + ".id: '" + id + "' is used by an earlier rule");
        }
        at = id.isEmpty() ? at : at + " (" + id + ")";
        Match match = match(node.path("match"), at + ".match", localities, problems);
        Route route = route(node.path("route"), at + ".route", problems);
        Deadline followUp = null;
        if (node.has("followUp")) {
          followUp = Deadline.parse(node.path("followUp").asText());
          if (followUp == null) {
            problems.add(at + ".followUp: '" + node.path("followUp").asText() + "' is not a response time (PT72H …)");
          }
        }
        rules.add(new Rule(id, node.path("description").asText(null), match, route,
            sla(node.path("sla"), at + ".sla", problems),
            node.has("escalation") ? escalation(node.path("escalation"), at + ".escalation", problems) : List.of(),
            followUp));
      }
    }
    if (!problems.isEmpty()) {
      throw new Invalid(problems);
    }
    return new RoutingRules(version, singlePointOfAccess, sla, escalation, List.copyOf(rules));
  }

  private static Match match(JsonNode node, String at, Set<String> localities, List<String> problems) {
    if (!node.isObject()) {
      problems.add(at + ": what the rule matches (categories, priorities, localities, ages, reasons)");
      return new Match(Set.of(), Set.of(), Set.of(), null, null, Set.of());
    }
    known(node, at + ".", problems, "categories", "priorities", "localities", "ages", "reasons");
    Set<String> categories = codes(node.path("categories"), at + ".categories", SERVICE_CATEGORIES, problems);
    Set<String> priorities = codes(node.path("priorities"), at + ".priorities", Set.copyOf(PRIORITIES), problems);
    Set<String> places = codes(node.path("localities"), at + ".localities", localities, problems);
    Set<String> reasons = codes(node.path("reasons"), at + ".reasons", null, problems);
    JsonNode ages = node.path("ages");
    Integer min = null;
    Integer max = null;
    if (!ages.isMissingNode()) {
      known(ages, at + ".ages.", problems, "min", "max");
      min = age(ages.path("min"), at + ".ages.min", problems);
      max = age(ages.path("max"), at + ".ages.max", problems);
      if (min == null && max == null) {
        problems.add(at + ".ages: give min, max or both (whole years)");
      } else if (min != null && max != null && min > max) {
        problems.add(at + ".ages: min " + min + " is above max " + max);
      }
    }
    return new Match(categories, priorities, places, min, max, reasons);
  }

  private static Route route(JsonNode node, String at, List<String> problems) {
    if (!node.isObject()) {
      problems.add(at + ": where the rule sends a referral (serviceCategory, or organization)");
      return new Route(null, Set.of(), "capacity", null, null);
    }
    known(node, at + ".", problems, "serviceCategory", "organizations", "prefer", "organization", "fallback");
    String category = node.has("serviceCategory") ? node.path("serviceCategory").asText() : null;
    if (category != null && !SERVICE_CATEGORIES.contains(category)) {
      problems.add(at + ".serviceCategory: '" + category + "' is not a service category; one of "
          + new TreeSet<>(SERVICE_CATEGORIES));
    }
    String organization = node.has("organization") ? organization(node.path("organization"), at + ".organization",
        problems) : null;
    if ((category == null) == (organization == null)) {
      problems.add(at + ": give either serviceCategory (a team from the directory) or organization, not both");
    }
    Set<String> organizations = new LinkedHashSet<>();
    JsonNode within = node.path("organizations");
    if (!within.isMissingNode()) {
      if (!within.isArray()) {
        problems.add(at + ".organizations: a list of organisation codes");
      } else {
        for (int i = 0; i < within.size(); i++) {
          organizations.add(organization(within.get(i), at + ".organizations[" + i + "]", problems));
        }
      }
    }
    String prefer = node.path("prefer").asText("capacity");
    if (!prefer.equals("capacity") && !prefer.equals("first")) {
      problems.add(at + ".prefer: capacity (the team with most room) or first (the first open team by name)");
    }
    String fallback = node.has("fallback") ? organization(node.path("fallback"), at + ".fallback", problems) : null;
    return new Route(category, organizations, prefer, organization, fallback);
  }

  private static Map<String, Deadline> sla(JsonNode node, String at, List<String> problems) {
    Map<String, Deadline> sla = new LinkedHashMap<>();
    if (node.isMissingNode()) {
      return sla;
    }
    if (!node.isObject()) {
      problems.add(at + ": response times by priority");
      return sla;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!PRIORITIES.contains(field.getKey())) {
        problems.add(at + "." + field.getKey() + ": not a priority; one of " + PRIORITIES);
        continue;
      }
      Deadline deadline = Deadline.parse(field.getValue().asText());
      if (deadline == null) {
        problems.add(at + "." + field.getKey() + ": '" + field.getValue().asText() + "' is not a response time (PT4H,"
            + " P2D or '5 working days')");
      } else {
        sla.put(field.getKey(), deadline);
      }
    }
    return sla;
  }

  private static List<EscalationStep> escalation(JsonNode node, String at, List<String> problems) {
    List<EscalationStep> steps = new ArrayList<>();
    if (!node.isArray() || node.isEmpty()) {
      problems.add(at + ": a list of steps, each {after: PT2H, to: " + String.join("|", ESCALATION_ROLES) + "}");
      return steps;
    }
    Duration previous = null;
    for (int i = 0; i < node.size(); i++) {
      JsonNode step = node.get(i);
      String here = at + "[" + i + "]";
      known(step, here + ".", problems, "after", "to");
      Duration after;
      try {
        after = Duration.parse(step.path("after").asText());
      } catch (java.time.format.DateTimeParseException e) {
        problems.add(here + ".after: how long past the deadline, as PT0S, PT2H …");
        continue;
      }
      if (after.isNegative() || (previous != null && after.compareTo(previous) <= 0)) {
        problems.add(here + ".after: each step comes later than the one before (and none before the deadline)");
      }
      String to = step.path("to").asText("");
      if (!ESCALATION_ROLES.contains(to)) {
        problems.add(here + ".to: one of " + ESCALATION_ROLES);
      }
      previous = after;
      steps.add(new EscalationStep(after, to));
    }
    return steps;
  }

  private static Set<String> codes(JsonNode node, String at, Set<String> allowed, List<String> problems) {
    Set<String> codes = new LinkedHashSet<>();
    if (node.isMissingNode()) {
      return codes;
    }
    if (!node.isArray() || node.isEmpty()) {
      problems.add(at + ": a non-empty list (leave it out to match any)");
      return codes;
    }
    for (JsonNode value : node) {
      String code = value.asText("");
      if (allowed != null && !allowed.contains(code)) {
        problems.add(at + ": '" + code + "' is not known; one of " + new TreeSet<>(allowed));
      } else if (code.isBlank()) {
        problems.add(at + ": codes are not blank");
      } else {
        codes.add(code);
      }
    }
    return codes;
  }

  private static Integer age(JsonNode node, String at, List<String> problems) {
    if (node.isMissingNode()) {
      return null;
    }
    if (!node.isInt() || node.asInt() < 0 || node.asInt() > 130) {
      problems.add(at + ": whole years from 0 to 130");
      return null;
    }
    return node.asInt();
  }

  private static String organization(JsonNode node, String at, List<String> problems) {
    String code = node.asText("");
    if (!code.matches(ORGANIZATION)) {
      problems.add(at + ": an ODS or council organisation code (3 to 12 letters and digits)");
      return null;
    }
    return code;
  }

  /** Reports keys the format does not have: a misspelt key must not be silently ignored. */
  private static void known(JsonNode node, String at, List<String> problems, String... keys) {
    if (!node.isObject()) {
      return;
    }
    Set<String> allowed = Set.of(keys);
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        problems.add(at + name + ": unknown key; the keys here are " + new TreeSet<>(allowed));
      }
    }
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
