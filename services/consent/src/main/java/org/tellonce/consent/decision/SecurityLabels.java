package org.tellonce.consent.decision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tellonce.platform.security.Roles;

/**
 * The sensitive security labels and who may see their data for direct care without the person's explicit consent.
 * The list is a documented, extensible policy file ({@code policy/sensitivity-labels.json}, replaceable through
 * {@code tellonce.consent.sensitivity-policy}): confidentiality R and V, the HL7 sensitivity codes (PSY, ETH, SDV,
 * HIV, STD, SEX, SOC) and the tellonce codes for England's further needs (safeguarding, third-party information,
 * sexual health, gender history, fertility). A label that is not listed is not sensitive.
 */
public final class SecurityLabels {

  public static final String TELLONCE_SYSTEM = "https://tellonce.org/fhir/CodeSystem/sensitivity";
  static final String DEFAULT_POLICY = "policy/sensitivity-labels.json";
  static final Set<String> KNOWN_ROLES = Set.of(Roles.CLINICIAN, Roles.SOCIAL_WORKER, Roles.SUPPORT_WORKER,
      Roles.CARE_COORDINATOR, Roles.SENIOR_CLINICIAN);

  /**
   * One sensitive label: its code system and code, what it is in plain English, who may see it on implied consent,
   * and the elements withheld when it is shared on implied consent (for example the free text of third-party
   * information); the person's explicit consent naming the label shares it whole.
   */
  public record Label(String system, String code, String category, Set<String> impliedConsentRoles,
      Set<String> redactOnImpliedConsent) {}

  /** The elements a redaction may name: narrative and free text, never structure the record depends on. */
  public static final Set<String> REDACTABLE = Set.of("text", "note", "description", "comment");

  private static volatile SecurityLabels current = defaults();

  private final Map<String, Label> byCode;

  private SecurityLabels(Map<String, Label> byCode) {
    this.byCode = byCode;
  }

  /** The policy in force. */
  public static SecurityLabels current() {
    return current;
  }

  /** Puts a policy in force (at start-up, from configuration). */
  public static void install(SecurityLabels labels) {
    current = labels;
  }

  public static SecurityLabels defaults() {
    try (InputStream in = SecurityLabels.class.getClassLoader().getResourceAsStream(DEFAULT_POLICY)) {
      if (in == null) {
        throw new IllegalStateException("The sensitivity policy " + DEFAULT_POLICY + " is missing from the build");
      }
      return read(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads and checks a policy file; an IllegalArgumentException says what is wrong with it. */
  public static SecurityLabels read(InputStream in) throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new IllegalArgumentException("The sensitivity policy is not JSON: " + e.getMessage(), e);
    }
    JsonNode labels = root == null ? null : root.get("labels");
    if (labels == null || !labels.isArray() || labels.isEmpty()) {
      throw new IllegalArgumentException("The sensitivity policy needs a non-empty \"labels\" array");
    }
    Map<String, Label> byCode = new LinkedHashMap<>();
    int index = 0;
    for (JsonNode node : labels) {
      String where = "labels[" + index++ + "]";
      String system = text(node, "system", where);
      String code = text(node, "code", where);
      String category = text(node, "category", where);
      JsonNode roles = node.get("impliedConsentRoles");
      if (roles == null || !roles.isArray()) {
        throw new IllegalArgumentException(where + ".impliedConsentRoles must be a list of roles (it may be empty)");
      }
      Set<String> roleSet = new LinkedHashSet<>();
      for (JsonNode role : roles) {
        if (!KNOWN_ROLES.contains(role.asText())) {
          throw new IllegalArgumentException(where + ".impliedConsentRoles: '" + role.asText()
              + "' is not one of " + KNOWN_ROLES);
        }
        roleSet.add(role.asText());
      }
      Set<String> redact = new java.util.TreeSet<>();
      JsonNode redactNode = node.get("redactOnImpliedConsent");
      if (redactNode != null) {
        if (!redactNode.isArray()) {
          throw new IllegalArgumentException(where + ".redactOnImpliedConsent must be a list of elements");
        }
        for (JsonNode element : redactNode) {
          if (!REDACTABLE.contains(element.asText())) {
            throw new IllegalArgumentException(where + ".redactOnImpliedConsent: '" + element.asText()
                + "' is not one of " + new java.util.TreeSet<>(REDACTABLE));
          }
          redact.add(element.asText());
        }
      }
      if (byCode.put(code, new Label(system, code, category, Set.copyOf(roleSet), Set.copyOf(redact))) != null) {
        throw new IllegalArgumentException(where + ": code '" + code + "' is listed twice; codes must be unique");
      }
    }
    return new SecurityLabels(Map.copyOf(byCode));
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw new IllegalArgumentException(where + "." + field + " is required");
    }
    return value.asText();
  }

  /** Every sensitive code. */
  public Set<String> codes() {
    return byCode.keySet();
  }

  public Label label(String code) {
    return byCode.get(code);
  }

  public boolean anyRestricted(Set<String> labels) {
    return labels.stream().anyMatch(byCode::containsKey);
  }

  /** The sensitive labels among these. */
  public List<Label> restricted(Set<String> labels) {
    List<Label> found = new ArrayList<>();
    for (String code : labels) {
      Label label = byCode.get(code);
      if (label != null) {
        found.add(label);
      }
    }
    return found;
  }

  /** The sensitive labels among these that none of the roles may see without explicit consent. */
  public List<Label> withheldFrom(Set<String> labels, Set<String> roles) {
    return restricted(labels).stream()
        .filter(label -> label.impliedConsentRoles().stream().noneMatch(roles::contains))
        .toList();
  }

  /** The elements withheld when data with these labels is shared on implied consent. */
  public Set<String> redactOnImpliedConsent(Set<String> labels) {
    Set<String> elements = new java.util.TreeSet<>();
    restricted(labels).forEach(label -> elements.addAll(label.redactOnImpliedConsent()));
    return elements;
  }

  /** The plain-English name of a label's information, or the code itself for a label that is not sensitive. */
  public String category(String code) {
    Label label = byCode.get(code);
    return label == null ? code : label.category();
  }
}
