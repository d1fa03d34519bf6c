package org.tellonce.referral.routing;

import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The routing rules in force, read from a folder ({@code tellonce.routing.dir}: {@code rules.yaml},
 * {@code localities.csv}, {@code bank-holidays.txt}; a ConfigMap in Kubernetes) and re-read when they change, without
 * a restart. A changed folder is taken whole or not at all: if anything in it is wrong, or the version was not raised,
 * the rules in force stay and the problems are reported ({@code GET /routing/rules}, the log). Without valid rules
 * at start the service does not start.
 */
@Startup
@ApplicationScoped
public class RuleBook {

  private static final Logger LOG = Logger.getLogger(RuleBook.class);

  /** Everything routing reads, as one consistent set. */
  public record Snapshot(RoutingRules rules, Localities localities, Calendar calendar, String digest,
      Instant loadedAt) {}

  /** What is in force and what went wrong with the last change, for operators. */
  public record Status(int version, String digest, Instant loadedAt, String folder, List<String> rejected,
      Instant rejectedAt) {}

  @ConfigProperty(name = "tellonce.routing.dir")
  String folder;

  private volatile Snapshot current;
  private volatile String rejectedDigest;
  private volatile List<String> rejected = List.of();
  private volatile Instant rejectedAt;

  @PostConstruct
  void load() {
    try {
      current = read(Path.of(folder), null);
      LOG.infof("Routing rules version %d loaded from %s (%d rules)", current.rules().version(), folder,
          current.rules().rules().size());
    } catch (RoutingRules.Invalid e) {
      throw new IllegalStateException("Routing rules in " + folder + " cannot be used: " + e.getMessage(), e);
    }
  }

  public Snapshot current() {
    return current;
  }

  public Status status() {
    Snapshot snapshot = current;
    return new Status(snapshot.rules().version(), snapshot.digest(), snapshot.loadedAt(), folder, rejected,
        rejectedAt);
  }

  @Scheduled(every = "${tellonce.routing.reload-interval:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void scheduledReload() {
    reload();
  }

  /** Re-reads the folder when its content changed; answers whether new rules came into force. */
  public synchronized boolean reload() {
    String digest;
    try {
      digest = digest(Path.of(folder));
    } catch (IOException | RuntimeException e) {
      reject(null, List.of("cannot read " + folder + ": " + e.getMessage()));
      return false;
    }
    if (digest.equals(current.digest()) || digest.equals(rejectedDigest)) {
      return false;
    }
    try {
      Snapshot next = read(Path.of(folder), current);
      current = next;
      rejectedDigest = null;
      rejected = List.of();
      rejectedAt = null;
      LOG.infof("Routing rules version %d loaded from %s (%d rules)", next.rules().version(), folder,
          next.rules().rules().size());
      return true;
    } catch (RoutingRules.Invalid e) {
      reject(digest, e.problems());
      return false;
    }
  }

  private void reject(String digest, List<String> problems) {
    rejectedDigest = digest;
    rejected = problems;
    rejectedAt = Instant.now();
    LOG.errorf("Routing rules in %s not taken; version %d stays in force. %s", folder, current.rules().version(),
        String.join("; ", problems));
  }

  static Snapshot read(Path folder, Snapshot previous) throws RoutingRules.Invalid {
    String digest;
    String rulesText;
    String localitiesText;
    String holidaysText;
    try {
      digest = digest(folder);
      rulesText = Files.readString(folder.resolve("rules.yaml"), StandardCharsets.UTF_8);
      localitiesText = Files.readString(folder.resolve("localities.csv"), StandardCharsets.UTF_8);
      holidaysText = Files.readString(folder.resolve("bank-holidays.txt"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new RoutingRules.Invalid(List.of("cannot read " + folder + " (rules.yaml, localities.csv and"
          + " bank-holidays.txt): " + e.getMessage()));
    }
    Localities localities = Localities.parse(localitiesText);
    Calendar calendar = Calendar.parse(holidaysText);
    RoutingRules rules = RoutingRules.parse(rulesText, localities.names());
    if (previous != null && rules.version() <= previous.rules().version()) {
      throw new RoutingRules.Invalid(List.of("version: " + rules.version() + " but version "
          + previous.rules().version() + " is in force with other content; raise the version with every change"));
    }
    return new Snapshot(rules, localities, calendar, digest, Instant.now());
  }

  static String digest(Path folder) throws IOException {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String name : List.of("rules.yaml", "localities.csv", "bank-holidays.txt")) {
        Path file = folder.resolve(name);
        sha.update(name.getBytes(StandardCharsets.UTF_8));
        sha.update(Files.exists(file) ? Files.readAllBytes(file) : new byte[0]);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
