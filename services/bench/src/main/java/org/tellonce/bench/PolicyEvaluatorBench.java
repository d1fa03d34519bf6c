package org.tellonce.bench;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.tellonce.consent.agreement.Agreement;
import org.tellonce.consent.decision.ConsentPolicy;
import org.tellonce.consent.decision.ConsentPolicy.Item;
import org.tellonce.consent.decision.ConsentPolicy.Provision;
import org.tellonce.consent.decision.ConsentPolicy.Request;
import org.tellonce.consent.decision.ConsentPolicy.Type;
import org.tellonce.consent.decision.PolicyEvaluator;
import org.tellonce.consent.decision.PolicyEvaluator.PersonState;

/**
 * In-process cost of one consent decision (JMH): a person with 20 provisions across 5 Consents (nested exceptions,
 * organisations, purposes, resource classes, labels, periods), one objection under review, 3 agreements, a care team
 * and a referral. Goal: at most 5 µs per item.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PolicyEvaluatorBench {

  static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
  static final String[] ORGS = {"MHT01", "LA001", "GPP01", "VCS01", "RHT01"};
  static final String[] TYPES = {"Condition", "AllergyIntolerance", "MedicationStatement", "Observation",
      "DocumentReference", "CarePlan"};

  final PersonState state = state();
  final Request council = new Request("p1", "LA001", "sw.council", Set.of("social-worker"), "TREAT", NOW);
  final Request clinician = new Request("p1", "MHT01", "nurse.mht", Set.of("clinician"), "TREAT", NOW);
  final Item sensitive = new Item("Condition/1", "Condition", Set.of("PSY"));
  final Item plain = new Item("Observation/1", "Observation", Set.of());
  final List<Item> batch = batch();

  /** 20 provisions in 5 Consents: each a root with three nested exceptions. */
  static PersonState state() {
    List<ConsentPolicy> consents = new ArrayList<>();
    for (int c = 0; c < 5; c++) {
      List<Provision> exceptions = new ArrayList<>();
      for (int e = 0; e < 3; e++) {
        int n = c * 3 + e;
        exceptions.add(new Provision(n % 2 == 0 ? Type.PERMIT : Type.DENY, Set.of(ORGS[n % ORGS.length]),
            Set.of(n % 3 == 0 ? "CAREMGT" : "TREAT"), Set.of(TYPES[n % TYPES.length]),
            n % 4 == 0 ? Set.of("SOC") : Set.of(), Instant.parse("2026-01-01T00:00:00Z"), null, List.of()));
      }
      Provision root = new Provision(c == 0 ? Type.DENY : Type.PERMIT, Set.of(ORGS[(c + 1) % ORGS.length]),
          Set.of(), Set.of(), Set.of(), null, null, exceptions);
      consents.add(new ConsentPolicy("consent-" + c, root, LocalDate.of(2026, 3, 3),
          c == 0 ? ConsentPolicy.Objection.PENDING : null));
    }
    List<Agreement> agreements = List.of(
        new Agreement("a1", "ICS direct care", Set.of(ORGS), Set.of("TREAT", "ETREAT", "CAREMGT", "COC"),
            Set.of("*"), null, null),
        new Agreement("a2", "Discharge", Set.of("RHT01", "LA001"), Set.of("TREAT"), Set.of("CarePlan"), null, null),
        new Agreement("a3", "Planning", Set.of("PH001"), Set.of("HOPERAT"), Set.of("*"), null, null));
    return new PersonState(Map.of("MHT01", PolicyEvaluator.CARE_TEAM, "LA001", PolicyEvaluator.CARE_TEAM,
        "VCS01", "holds an active referral for the person"), consents, null, agreements, null);
  }

  static List<Item> batch() {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      items.add(new Item("R/" + i, TYPES[i % TYPES.length], i % 5 == 0 ? Set.of("PSY") : Set.of()));
    }
    return items;
  }

  @Benchmark
  public PolicyEvaluator.Decision sensitiveItemForTheCouncil() {
    return PolicyEvaluator.decide(council, sensitive, state);
  }

  @Benchmark
  public PolicyEvaluator.Decision plainItemForAClinician() {
    return PolicyEvaluator.decide(clinician, plain, state);
  }

  /** A batch of 50 items, as care-record asks for one page (divide by 50 for the cost per item). */
  @Benchmark
  public List<PolicyEvaluator.Decision> batchOf50() {
    return PolicyEvaluator.decide(council, batch, state);
  }
}
