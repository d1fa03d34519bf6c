package org.tellonce.carerecord.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;
import org.tellonce.platform.decision.DecisionRequest;
import org.tellonce.platform.decision.DecisionResponse;
import org.tellonce.platform.decision.DecisionResponse.ItemDecision;
import org.tellonce.platform.decision.Obligations;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.resilience.Admission;
import org.tellonce.platform.security.Actor;

/**
 * The enforcement point: asks the consent service once per request about every class of data involved (type and
 * labels; see {@link DataClass}), and fails closed. Any failure to get a complete, well-formed answer refuses the read
 * with 503: nothing is disclosed on an error path.
 *
 * <p>An answer is reused for the same question (person, purpose, user, organisation, roles and classes) for as long
 * as the consent service leases it ({@code leaseMillis}, capped by {@code tellonce.consent.max-lease}), counted from
 * the moment the question was sent. The consent service acknowledges a change only once that lease has run out (see
 * its {@code DecisionLease}), so a reused answer never outlives an acknowledged change. {@code tellonce.consent.max-lease=0}
 * asks every time.
 *
 * <p>At most {@code tellonce.consent.max-in-flight} questions are with the consent service at once ({@link Admission});
 * a read that would be one more is refused at once with 503 and Retry-After, so an overload sheds load instead of
 * every read waiting out its timeout.
 */
@ApplicationScoped
public class AccessGate {

  private static final Logger LOG = Logger.getLogger(AccessGate.class);

  /** What the caller may see of one person: the decision on each class, taken at one consent revision. */
  public record Visibility(long revision, Map<String, ItemDecision> decisions) {

    public static final Visibility NOTHING = new Visibility(0, Map.of());

    /** Permitted, and every obligation of the permit can be carried out here (otherwise it counts as denied). */
    public boolean permits(DataClass dataClass) {
      ItemDecision decision = decisions.get(dataClass.key());
      return decision != null && decision.permitted() && Disclosure.understood(decision);
    }

    public ItemDecision decision(DataClass dataClass) {
      return decisions.get(dataClass.key());
    }

    /** The keys ({@code Type|labels}) of the permitted classes, for the record's queries. */
    public List<String> permittedKeys() {
      return decisions.keySet().stream()
          .filter(key -> permits(new DataClass(key.substring(0, key.indexOf('|')), key.substring(key.indexOf('|') + 1))))
          .sorted()
          .toList();
    }
  }

  /** The benchmark-only setting that shows everything without asking: refused outside the {@code bench} profile. */
  static final String OFF_FOR_BENCHMARK = "off-for-benchmark";

  @Inject @RestClient ConsentClient consent;

  @ConfigProperty(name = "tellonce.consent.max-lease", defaultValue = "PT2S")
  Duration maxLease;

  @ConfigProperty(name = "tellonce.access.gate", defaultValue = "consent")
  String gate;

  /**
   * Decisions asked of the consent service at once, at most; beyond that a read is refused at once with 503 and
   * Retry-After (load shed) rather than queued past its caller's timeout. Per replica.
   */
  @ConfigProperty(name = "tellonce.consent.max-in-flight", defaultValue = "64")
  int maxInFlight;

  @Inject MeterRegistry registry;

  private Admission admission;

  /** An answer and the moment (System.nanoTime) it may no longer be used. */
  record Leased(Visibility visibility, long expires) {}

  private Cache<DecisionRequest, Leased> leased;

  @PostConstruct
  void init() {
    leased = Caffeine.newBuilder().maximumSize(50_000).expireAfterWrite(maxLease).build();
    admission = new Admission("consent", maxInFlight);
    registry.gauge("tellonce.consent.in-flight", admission, Admission::inFlight);
    registry.more().counter("tellonce.consent.shed", java.util.List.of(), admission, Admission::refused);
  }

  void checkGate(@Observes StartupEvent started) {
    if (OFF_FOR_BENCHMARK.equals(gate) && !ConfigUtils.getProfiles().contains("bench")) {
      throw new IllegalStateException("tellonce.access.gate=" + OFF_FOR_BENCHMARK + " is for benchmarks only: it"
          + " shows every record without asking the consent service, and is refused unless the bench profile is active");
    }
    if (!OFF_FOR_BENCHMARK.equals(gate) && !"consent".equals(gate)) {
      throw new IllegalStateException("tellonce.access.gate must be consent");
    }
    if (OFF_FOR_BENCHMARK.equals(gate)) {
      LOG.warn("The consent gate is OFF (benchmark profile): every record is shown without a consent decision");
    }
  }

  /** The consent service refused the question at its door (503 with {@code Retry-After: 1}): busy, not down. */
  static boolean shedByConsent(Throwable failure) {
    return failure instanceof jakarta.ws.rs.WebApplicationException refused
        && refused.getResponse().getStatus() == 503
        && FhirException.RETRY_BUSY.equals(refused.getResponse().getHeaderString("Retry-After"));
  }

  public Uni<Visibility> decide(Actor actor, String personId, String purpose, Collection<DataClass> classes) {
    Set<DataClass> distinct = new LinkedHashSet<>(classes);
    if (distinct.isEmpty()) {
      return Uni.createFrom().item(Visibility.NOTHING);
    }
    if (OFF_FOR_BENCHMARK.equals(gate)) {
      return Uni.createFrom().item(everything(distinct));
    }
    List<String> roles = new ArrayList<>(actor.roles());
    roles.sort(null);
    DecisionRequest request = new DecisionRequest(personId, purpose,
        new DecisionRequest.RequestActor(actor.organization(), actor.username(), roles),
        distinct.stream()
            .map(c -> new DecisionRequest.DataItem(c.key(), c.resourceType(), c.labelList()))
            .toList());
    long asked = System.nanoTime();
    Leased reusable = leased.getIfPresent(request);
    if (reusable != null && asked - reusable.expires() < 0) {
      return Uni.createFrom().item(reusable.visibility());
    }
    return admission.admit(() -> consent.decide(request))
        // load shed (503 busy) passes as it is; any other failure means no answer: closed
        .onFailure(e -> !(e instanceof FhirException)).transform(e -> {
          if (shedByConsent(e)) {
            return FhirException.busy("The service is busy: the consent service is answering as many questions as it"
                + " can. Try again in a second.");
          }
          LOG.warnf("Consent decision point unavailable: %s", e.getClass().getSimpleName());
          return FhirException.unavailable("The consent service cannot be reached, so the record cannot be shown;"
              + " try again shortly");
        })
        .map(response -> {
          Visibility visibility = visibility(response, distinct);
          long lease = Math.min(response.leaseMillis(), maxLease.toMillis());
          if (lease > 0) {
            leased.put(request, new Leased(visibility, asked + Duration.ofMillis(lease).toNanos()));
          }
          return visibility;
        });
  }

  /** Benchmarks only: every class permitted with the audit obligation, as the consent service would for a care team. */
  private static Visibility everything(Set<DataClass> classes) {
    return new Visibility(0, classes.stream().collect(Collectors.toMap(DataClass::key,
        c -> new ItemDecision(c.key(), DecisionResponse.PERMIT,
            List.of(new DecisionResponse.Reason("benchmark", "the consent gate is off for a benchmark")),
            List.of(Obligations.AUDIT)))));
  }

  private static Visibility visibility(DecisionResponse response, Set<DataClass> classes) {
    if (response == null || response.decisions() == null || response.decisions().size() != classes.size()) {
      throw FhirException.unavailable("The consent service gave an incomplete answer, so the record cannot be shown");
    }
    Map<String, ItemDecision> byKey = response.decisions().stream()
        .collect(Collectors.toMap(ItemDecision::id, Function.identity(), (a, b) -> a.permitted() ? b : a));
    if (!byKey.keySet().equals(classes.stream().map(DataClass::key).collect(Collectors.toSet()))) {
      throw FhirException.unavailable("The consent service answered about other data, so the record cannot be shown");
    }
    return new Visibility(response.revision(), byKey);
  }
}
