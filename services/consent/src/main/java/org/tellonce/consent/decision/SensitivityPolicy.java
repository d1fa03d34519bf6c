package org.tellonce.consent.decision;

import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Puts the sensitivity policy in force at start-up: the built-in one, or the file named by
 * {@code tellonce.consent.sensitivity-policy} (for example mounted from a ConfigMap). A file that cannot be read or is
 * wrong stops the service from starting, with the reason: deciding on a policy nobody intended is worse than not
 * deciding.
 */
@Startup
@ApplicationScoped
public class SensitivityPolicy {

  private static final Logger LOG = Logger.getLogger(SensitivityPolicy.class);

  @ConfigProperty(name = "tellonce.consent.sensitivity-policy")
  Optional<String> file;

  @PostConstruct
  void install() {
    if (file.isEmpty()) {
      SecurityLabels.install(SecurityLabels.defaults());
      return;
    }
    try (InputStream in = Files.newInputStream(Path.of(file.get()))) {
      SecurityLabels labels = SecurityLabels.read(in);
      SecurityLabels.install(labels);
      LOG.infof("Sensitivity policy %s in force: %d labels", file.get(), labels.codes().size());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the sensitivity policy " + file.get(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("The sensitivity policy " + file.get() + " is wrong: " + e.getMessage(), e);
    }
  }
}
