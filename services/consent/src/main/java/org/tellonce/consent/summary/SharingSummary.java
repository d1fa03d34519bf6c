package org.tellonce.consent.summary;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.tellonce.consent.agreement.Agreement;
import org.tellonce.consent.decision.ConsentPolicy;
import org.tellonce.consent.decision.DecisionService;
import org.tellonce.consent.decision.PolicyEvaluator;
import org.tellonce.consent.decision.SecurityLabels;
import org.tellonce.platform.decision.Purposes;

/**
 * Frontline consent questions in plain English, answered by the same rules as every decision: who may see this
 * person's information for their care and why, and what the calling practitioner may see.
 */
@ApplicationScoped
public class SharingSummary {

  static final ConsentPolicy.Item GENERAL = new ConsentPolicy.Item("general", "Condition", Set.of());
  static final ConsentPolicy.Item SENSITIVE = new ConsentPolicy.Item("sensitive", "Condition", Set.of("PSY"));
  static final Set<String> CLINICIAN = Set.of("clinician");
  static final Set<String> OTHER_STAFF = Set.of("social-worker");

  @Inject DecisionService decisions;

  /** One answer: allowed or not, which rule decided, and why in a sentence. */
  public record Answer(boolean shared, String rule, String why) {
    static Answer of(PolicyEvaluator.Decision decision) {
      return new Answer(decision.permit(), decision.reasons().get(0).source(), decision.reasons().get(0).text());
    }
  }

  /** What one organisation's staff may see for the person's direct care. */
  public record OrganizationView(String organization, boolean inCareTeam, String relationship, Answer staff,
      Answer staffSensitive, Answer clinicians, Answer cliniciansSensitive, String summary) {}

  public record Summary(String person, long revision, boolean restricted, List<OrganizationView> organizations) {}

  public record Category(String category, Answer answer) {}

  public record MyView(String person, String organization, String purpose, long revision, List<Category> categories,
      String summary) {}

  @WithSession
  public Uni<Summary> forPerson(String personId) {
    ConsentPolicy.Request probe = new ConsentPolicy.Request(personId, null, null, Set.of(), Purposes.TREAT,
        Instant.now());
    return decisions.load(probe).map(loaded -> {
      Set<String> organizations = new TreeSet<>(loaded.state().relationships().keySet());
      loaded.state().agreements().stream().map(Agreement::parties).forEach(organizations::addAll);
      loaded.state().consents().forEach(c -> organizations.addAll(c.root().namedOrganizations()));
      List<OrganizationView> views = new ArrayList<>();
      for (String organization : organizations) {
        Answer staff = answer(personId, organization, OTHER_STAFF, GENERAL, loaded);
        Answer staffSensitive = answer(personId, organization, OTHER_STAFF, SENSITIVE, loaded);
        Answer clinicians = answer(personId, organization, CLINICIAN, GENERAL, loaded);
        Answer cliniciansSensitive = answer(personId, organization, CLINICIAN, SENSITIVE, loaded);
        String relationship = loaded.state().relationships().get(organization);
        views.add(new OrganizationView(organization, PolicyEvaluator.CARE_TEAM.equals(relationship), relationship,
            staff, staffSensitive, clinicians, cliniciansSensitive,
            sentence(organization, staff, clinicians, cliniciansSensitive)));
      }
      return new Summary("Patient/" + personId, loaded.revision(), loaded.restriction().restricted(), views);
    });
  }

  @WithSession
  public Uni<MyView> forCaller(String personId, String organization, String user, Set<String> roles, String purpose) {
    ConsentPolicy.Request request = new ConsentPolicy.Request(personId, organization, user, roles, purpose,
        Instant.now());
    return decisions.load(request).map(loaded -> {
      List<ConsentPolicy.Item> items = new ArrayList<>();
      items.add(GENERAL);
      new TreeSet<>(SecurityLabels.current().codes()).forEach(label ->
          items.add(new ConsentPolicy.Item(label, "Condition", Set.of(label))));
      List<PolicyEvaluator.Decision> decided = DecisionService.decide(request, items, loaded);
      List<Category> categories = new ArrayList<>();
      List<String> withheld = new ArrayList<>();
      for (PolicyEvaluator.Decision decision : decided) {
        categories.add(new Category(decision.id(), Answer.of(decision)));
        if (!decision.permit() && !decision.id().equals("general")) {
          withheld.add(decision.id());
        }
      }
      Answer general = categories.get(0).answer();
      String summary = general.shared()
          ? "You can see this person's record for " + purpose + ": " + general.why() + "."
              + (withheld.isEmpty() ? "" : " Information labelled " + String.join(", ", withheld) + " is withheld.")
          : "You cannot see this person's record for " + purpose + ": " + general.why() + ".";
      return new MyView("Patient/" + personId, organization, purpose, loaded.revision(), categories, summary);
    });
  }

  private static Answer answer(String personId, String organization, Set<String> roles, ConsentPolicy.Item item,
      DecisionService.Loaded loaded) {
    ConsentPolicy.Request request = new ConsentPolicy.Request(personId, organization, null, roles, Purposes.TREAT,
        Instant.now());
    return Answer.of(DecisionService.decide(request, List.of(item), loaded).get(0));
  }

  static String sentence(String organization, Answer staff, Answer clinicians, Answer cliniciansSensitive) {
    if (!staff.shared() && !clinicians.shared()) {
      return organization + " cannot see this person's record: " + clinicians.why() + ".";
    }
    String who = staff.shared() ? "Staff at " + organization : "Clinicians at " + organization;
    return who + " can see this person's record for their care (" + (staff.shared() ? staff : clinicians).why()
        + "). Sensitive information (such as mental health) is "
        + (cliniciansSensitive.shared() ? "shared with its clinicians only" : "not shared with " + organization) + ".";
  }

}
