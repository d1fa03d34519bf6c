package org.tellonce.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart without a cluster: {@code helm lint} and {@code helm template} (helm-java) for the default values and
 * a production-like values file, every rendered manifest parsed with the fabric8 Kubernetes model, and the things an
 * ICS platform team checks asserted.
 */
class ChartTest {

  static final Path CHART = Path.of(System.getProperty("tellonce.chart", "tellonce"));
  static final Path PRODUCTION = CHART.resolve("values-production.yaml");
  static final Path TOPICS = CHART.resolve("../../deploy/kafka/topics.txt");
  static final List<String> SERVICES = List.of("identity", "consent", "care-record", "referral");

  /**
   * Every service's JDK_JAVA_OPTIONS by default: its heap (and young generation, where set), the class metadata a
   * start loads before its first collection for it, then image.javaOptions (for the images' JDK 25).
   */
  static final String JVM_OPTIONS = "-Xmx[0-9]+[mg]( -XX:MaxNewSize=[0-9]+[mg])? -XX:MetaspaceSize=128m"
      + " -XX:\\+UseCompactObjectHeaders -XX:\\+UseStringDeduplication -Djava.io.tmpdir=/tmp";

  static List<HasMetadata> render(UnaryOperator<TemplateCommand> options) {
    String yaml = options.apply(new Helm(CHART).template().withName("ics").withNamespace("tellonce")).call();
    List<HasMetadata> manifests = new ArrayList<>();
    for (String document : yaml.split("(?m)^---\\s*$")) {
      if (document.lines().anyMatch(line -> line.startsWith("kind:"))) {
        manifests.add(Serialization.unmarshal(document));
      }
    }
    return manifests;
  }

  static <T extends HasMetadata> List<T> all(List<HasMetadata> manifests, Class<T> type) {
    return manifests.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static List<GenericKubernetesResource> kind(List<HasMetadata> manifests, String kind) {
    return all(manifests, GenericKubernetesResource.class).stream().filter(r -> kind.equals(r.getKind())).toList();
  }

  @Test
  void lintsClean() {
    LintResult lint = new Helm(CHART).lint().strict().call();
    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
  }

  @Test
  void everyServiceRunsAsANonRootReadOnlyContainerWithProbesAndLimits() {
    for (var manifests : List.of(render(t -> t), render(t -> t.withValuesFile(PRODUCTION)))) {
      List<Deployment> deployments = all(manifests, Deployment.class);
      assertThat(deployments).extracting(d -> d.getMetadata().getName())
          .containsExactlyInAnyOrderElementsOf(SERVICES.stream().map(s -> "ics-" + s).toList());
      for (Deployment deployment : deployments) {
        var pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getServiceAccountName()).isEqualTo("ics-tellonce");
        Container container = pod.getContainers().get(0);
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(container.getResources().getLimits()).containsKeys("cpu", "memory");
        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(container.getEnv()).as("structured JSON logs in production")
            .anyMatch(env -> env.getName().equals("QUARKUS_LOG_CONSOLE_JSON_ENABLED") && "true".equals(env.getValue()));
        // secrets only by reference: no password or client secret is a plain value
        for (EnvVar env : container.getEnv()) {
          if (env.getName().contains("PASSWORD") || env.getName().contains("SECRET")) {
            assertThat(env.getValue()).as(env.getName()).isNull();
            assertThat(env.getValueFrom().getSecretKeyRef()).as(env.getName()).isNotNull();
          }
        }
      }
      assertThat(all(manifests, Service.class)).hasSize(4);
      assertThat(all(manifests, HorizontalPodAutoscaler.class)).hasSize(4);
      assertThat(all(manifests, PodDisruptionBudget.class)).hasSize(4);
      assertThat(all(manifests, ServiceAccount.class)).hasSize(1);
    }
  }

  @Test
  void careRecordValidatesAgainstTheConformanceVolumeWhenOneIsGiven() {
    Deployment production = all(render(t -> t.withValuesFile(PRODUCTION)), Deployment.class).stream()
        .filter(d -> d.getMetadata().getName().equals("ics-care-record")).findFirst().orElseThrow();
    var container = production.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getEnv()).anySatisfy(env -> {
      assertThat(env.getName()).isEqualTo("TELLONCE_FHIR_CONFORMANCE");
      assertThat(env.getValue()).isEqualTo("/conformance");
    });
    assertThat(container.getVolumeMounts()).anySatisfy(mount -> {
      assertThat(mount.getMountPath()).isEqualTo("/conformance");
      assertThat(mount.getReadOnly()).isTrue();
    });
    assertThat(production.getSpec().getTemplate().getSpec().getVolumes())
        .filteredOn(volume -> volume.getPersistentVolumeClaim() != null)
        .extracting(volume -> volume.getPersistentVolumeClaim().getClaimName())
        .containsExactly("tellonce-fhir-conformance");
    assertThat(all(render(t -> t), Deployment.class)).allSatisfy(d -> assertThat(d.getSpec().getTemplate().getSpec()
        .getContainers().get(0).getEnv()).noneMatch(env -> env.getName().equals("TELLONCE_FHIR_CONFORMANCE")));
  }

  @Test
  void referralReadsItsRoutingRulesFromAMountedConfigMap() {
    List<HasMetadata> manifests = render(t -> t);
    ConfigMap routing = all(manifests, ConfigMap.class).stream()
        .filter(c -> c.getMetadata().getName().equals("ics-routing")).findFirst().orElseThrow();
    assertThat(routing.getData()).containsOnlyKeys("rules.yaml", "localities.csv", "bank-holidays.txt");
    assertThat(routing.getData().get("rules.yaml")).contains("singlePointOfAccess:").contains("version:");
    Deployment referral = all(manifests, Deployment.class).stream()
        .filter(d -> d.getMetadata().getName().equals("ics-referral")).findFirst().orElseThrow();
    var container = referral.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getEnv()).anySatisfy(env -> {
      assertThat(env.getName()).isEqualTo("TELLONCE_ROUTING_DIR");
      assertThat(env.getValue()).isEqualTo("/config/routing");
    });
    assertThat(container.getVolumeMounts()).anySatisfy(mount -> {
      assertThat(mount.getMountPath()).isEqualTo("/config/routing");
      assertThat(mount.getReadOnly()).isTrue();
    });
    assertThat(referral.getSpec().getTemplate().getSpec().getVolumes()).filteredOn(v -> v.getConfigMap() != null)
        .extracting(v -> v.getConfigMap().getName()).containsExactly("ics-routing");

    List<HasMetadata> own = render(t -> t.set("routing.existingConfigMap", "ics-routing-rules"));
    assertThat(all(own, ConfigMap.class)).noneMatch(c -> c.getMetadata().getName().equals("ics-routing"));
    assertThat(all(own, Deployment.class).stream().filter(d -> d.getMetadata().getName().equals("ics-referral"))
        .findFirst().orElseThrow().getSpec().getTemplate().getSpec().getVolumes())
        .filteredOn(v -> v.getConfigMap() != null)
        .extracting(v -> v.getConfigMap().getName()).containsExactly("ics-routing-rules");
  }

  @Test
  void networkPoliciesAllowOnlyThePathsTheDesignNeeds() {
    List<NetworkPolicy> policies = all(render(t -> t), NetworkPolicy.class);
    assertThat(policies).extracting(p -> p.getMetadata().getName()).contains("ics-default-deny");
    NetworkPolicy deny = policies.stream().filter(p -> p.getMetadata().getName().equals("ics-default-deny"))
        .findFirst().orElseThrow();
    assertThat(deny.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
    assertThat(deny.getSpec().getIngress()).isNullOrEmpty();
    assertThat(deny.getSpec().getEgress()).isNullOrEmpty();

    NetworkPolicy consent = policy(policies, "ics-consent");
    assertThat(podsAllowedIn(consent)).containsExactlyInAnyOrder("care-record", "referral");
    assertThat(podsAllowedIn(policy(policies, "ics-identity"))).as("the access monitor asks identity")
        .containsExactly("care-record");
    for (String other : List.of("ics-care-record", "ics-referral")) {
      assertThat(podsAllowedIn(policy(policies, other))).as(other + " is called by no other service").isEmpty();
    }
    assertThat(podsReachedFrom(policy(policies, "ics-care-record"))).containsExactlyInAnyOrder("consent", "identity");
    assertThat(podsReachedFrom(policy(policies, "ics-referral"))).containsExactly("consent");
    assertThat(podsReachedFrom(policy(policies, "ics-identity"))).isEmpty();
  }

  static NetworkPolicy policy(List<NetworkPolicy> policies, String name) {
    return policies.stream().filter(p -> p.getMetadata().getName().equals(name)).findFirst().orElseThrow();
  }

  /** The tellonce services whose pods a policy lets in. */
  static List<String> podsAllowedIn(NetworkPolicy policy) {
    return services(policy.getSpec().getIngress().stream().flatMap(rule -> rule.getFrom().stream()).toList());
  }

  /** The tellonce services a policy lets the pod call. */
  static List<String> podsReachedFrom(NetworkPolicy policy) {
    return services(policy.getSpec().getEgress().stream().flatMap(rule -> rule.getTo().stream()).toList());
  }

  /** The tellonce services among peers: pods of this release, selected by name and instance. */
  static List<String> services(List<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer> peers) {
    return peers.stream()
        .filter(peer -> peer.getPodSelector() != null && peer.getPodSelector().getMatchLabels() != null
            && "ics".equals(peer.getPodSelector().getMatchLabels().get("app.kubernetes.io/instance")))
        .map(peer -> peer.getPodSelector().getMatchLabels().get("app.kubernetes.io/name")).toList();
  }

  @Test
  void productionTopicsAreReplicatedSafelyAndMatchTheLocalStack() throws IOException {
    List<HasMetadata> manifests = render(t -> t.withValuesFile(PRODUCTION));
    List<GenericKubernetesResource> topics = kind(manifests, "KafkaTopic");
    Map<String, String> policies = new java.util.HashMap<>();
    Files.readAllLines(TOPICS).stream()
        .filter(line -> !line.isBlank() && !line.startsWith("#"))
        .map(line -> line.trim().split("\\s+"))
        .forEach(cells -> policies.put("tellonce." + cells[0], cells[2]));
    assertThat(topics).extracting(t -> (String) spec(t).get("topicName"))
        .containsExactlyInAnyOrderElementsOf(policies.keySet());
    assertThat(policies).containsEntry("tellonce.consent.v1", "compact")
        .containsEntry("tellonce.identity.directory.v1", "compact");
    for (GenericKubernetesResource topic : topics) {
      assertThat(spec(topic).get("replicas")).isEqualTo(3);
      @SuppressWarnings("unchecked")
      Map<String, Object> config = (Map<String, Object>) spec(topic).get("config");
      assertThat(config.get("min.insync.replicas")).isEqualTo(2);
      assertThat(config.get("unclean.leader.election.enable")).isEqualTo(false);
      assertThat(config.get("cleanup.policy")).isEqualTo(policies.get((String) spec(topic).get("topicName")));
    }
    assertThat(kind(manifests, "ServiceMonitor")).hasSize(1);
    assertThat(kind(render(t -> t), "KafkaTopic")).isEmpty();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> spec(GenericKubernetesResource resource) {
    return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
  }

  static Map<String, EnvVar> env(Deployment deployment) {
    Map<String, EnvVar> env = new java.util.HashMap<>();
    deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().forEach(e -> env.put(e.getName(), e));
    return env;
  }

  @Test
  void productionReachesKafkaOverSaslScramAndTlsAndExportsTraces() {
    for (Deployment deployment : all(render(t -> t.withValuesFile(PRODUCTION)), Deployment.class)) {
      Map<String, EnvVar> env = env(deployment);
      assertThat(env.get("KAFKA_SECURITY_PROTOCOL").getValue()).isEqualTo("SASL_SSL");
      assertThat(env.get("KAFKA_SASL_MECHANISM").getValue()).isEqualTo("SCRAM-SHA-512");
      // the password comes from the Secret by reference and reaches the JAAS line only inside the pod
      assertThat(env.get("TELLONCE_KAFKA_PASSWORD").getValueFrom().getSecretKeyRef().getName())
          .isEqualTo("tellonce-kafka-user");
      assertThat(env.get("KAFKA_SASL_JAAS_CONFIG").getValue())
          .startsWith("org.apache.kafka.common.security.scram.ScramLoginModule required")
          .contains("username=\"$(TELLONCE_KAFKA_USERNAME)\"", "password=\"$(TELLONCE_KAFKA_PASSWORD)\"")
          .endsWith(";");
      assertThat(env.get("KAFKA_SSL_TRUSTSTORE_TYPE").getValue()).isEqualTo("PEM");
      assertThat(env.get("KAFKA_SSL_TRUSTSTORE_LOCATION").getValue()).isEqualTo("/etc/kafka-ca/ca.crt");
      var pod = deployment.getSpec().getTemplate().getSpec();
      assertThat(pod.getContainers().get(0).getVolumeMounts())
          .anySatisfy(mount -> assertThat(mount.getMountPath()).isEqualTo("/etc/kafka-ca"));
      assertThat(pod.getVolumes()).filteredOn(volume -> volume.getSecret() != null)
          .extracting(volume -> volume.getSecret().getSecretName()).containsExactly("tellonce-cluster-ca-cert");
      assertThat(env.get("TELLONCE_OTLP_ENDPOINT").getValue()).isEqualTo("http://otel-collector.observability.svc:4318");
      assertThat(env).doesNotContainKey("QUARKUS_OTEL_SDK_DISABLED");
      assertThat(env.get("JDK_JAVA_OPTIONS").getValue()).as("read by the java launcher itself, whatever the image")
          .matches(JVM_OPTIONS);
    }
    for (Deployment deployment : all(render(t -> t), Deployment.class)) {
      Map<String, EnvVar> env = env(deployment);
      assertThat(env.get("KAFKA_SECURITY_PROTOCOL").getValue()).isEqualTo("PLAINTEXT");
      assertThat(env).doesNotContainKeys("KAFKA_SASL_JAAS_CONFIG", "KAFKA_SSL_TRUSTSTORE_LOCATION");
      assertThat(env.get("QUARKUS_OTEL_SDK_DISABLED").getValue()).as("no collector given: no tracing").isEqualTo("true");
    }
    // PLAIN over TLS uses the plain login module
    assertThat(all(render(t -> t.withValuesFile(PRODUCTION).set("kafka.security.saslMechanism", "PLAIN")),
        Deployment.class)).allSatisfy(d -> assertThat(env(d).get("KAFKA_SASL_JAAS_CONFIG").getValue())
        .startsWith("org.apache.kafka.common.security.plain.PlainLoginModule required"));
  }

  @Test
  void everyServiceGetsTheImagesJvmOptionsAfterItsHeapAndNoneWhenTheyAreEmptied() {
    Map<String, String> defaults = jvmOptions(render(t -> t));
    Map<String, String> production = jvmOptions(render(t -> t.withValuesFile(PRODUCTION)));
    for (Map<String, String> options : List.of(defaults, production)) {
      assertThat(options).containsOnlyKeys(SERVICES).allSatisfy((name, value) -> assertThat(value).as(name)
          .matches(JVM_OPTIONS));
    }
    assertThat(defaults.get("care-record")).as("a young generation for short-lived objects")
        .isEqualTo("-Xmx320m -XX:MaxNewSize=64m -XX:MetaspaceSize=128m -XX:+UseCompactObjectHeaders -XX:+UseStringDeduplication -Djava.io.tmpdir=/tmp");
    assertThat(production.get("care-record")).as("production leaves the young generation to the collector")
        .isEqualTo("-Xmx1g -XX:MetaspaceSize=128m -XX:+UseCompactObjectHeaders -XX:+UseStringDeduplication -Djava.io.tmpdir=/tmp");
    assertThat(jvmOptions(render(t -> t.set("image.javaOptions", "")))).containsOnly(
        entry("identity", "-Xmx384m -XX:MetaspaceSize=128m -Djava.io.tmpdir=/tmp"),
        entry("consent", "-Xmx384m -XX:MetaspaceSize=128m -Djava.io.tmpdir=/tmp"),
        entry("care-record", "-Xmx320m -XX:MaxNewSize=64m -XX:MetaspaceSize=128m -Djava.io.tmpdir=/tmp"),
        entry("referral", "-Xmx384m -XX:MetaspaceSize=128m -Djava.io.tmpdir=/tmp"));
    assertThatThrownBy(() -> render(t -> t.set("image.javaOptions", "-Xmx1g; rm -rf /")))
        .as("options are JVM flags, nothing else").hasMessageContaining("javaOptions");
    assertThatThrownBy(() -> render(t -> t.set("services.care-record.javaMaxYoungHeap", "64 MB")))
        .hasMessageContaining("javaMaxYoungHeap");
  }

  /** Each service's JDK_JAVA_OPTIONS, by service (one Deployment each). */
  static Map<String, String> jvmOptions(List<HasMetadata> manifests) {
    Map<String, String> options = new TreeMap<>();
    for (Deployment deployment : all(manifests, Deployment.class)) {
      String name = deployment.getMetadata().getName();
      assertThat(options.put(SERVICES.stream().filter(name::endsWith).findFirst().orElseThrow(),
          env(deployment).get("JDK_JAVA_OPTIONS").getValue())).as("one Deployment for " + name).isNull();
    }
    return options;
  }

  @Test
  void wrongValuesAreRefusedWithTheReason() {
    assertThatThrownBy(() -> render(t -> t.set("kafka.security.protocol", "SASL_SSL")))
        .as("SASL without a credentials Secret").hasMessageContaining("credentialsSecret");
    assertThatThrownBy(() -> render(t -> t.set("kafka.security.protocol", "SSL")))
        .as("TLS without the cluster CA").hasMessageContaining("caSecret");
    assertThatThrownBy(() -> render(t -> t.set("kafka.security.protocol", "TLS")))
        .hasMessageContaining("protocol");
    assertThatThrownBy(() -> render(t -> t.set("tracing.otlpEndpoint", "collector:4318")))
        .hasMessageContaining("otlpEndpoint");
    assertThatThrownBy(() -> render(t -> t.set("services.consent.replicas", 0)))
        .hasMessageContaining("replicas");
    assertThatThrownBy(() -> render(t -> t.set("kafka.bootstrapServers", "not a server list")))
        .hasMessageContaining("bootstrapServers");
    assertThatThrownBy(() -> render(t -> t.set("keycloak.url", "keycloak")))
        .hasMessageContaining("url");
    assertThatThrownBy(() -> render(t -> t.set("postgres.password", "secret")))
        .hasMessageContaining("password");
    assertThatThrownBy(() -> render(t -> t.set("services.identity.resources.limits", "null")))
        .hasMessageContaining("limits");
  }
}
