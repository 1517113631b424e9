package dev.mcu.app;

import dev.mcu.events.Topics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both overlays of {@code k8s/}, rendered by {@code kubectl kustomize} and parsed with fabric8's
 * model classes, checked against the code: the settings each container's environment makes (read
 * the way Helidon reads environment variables, then validated as at start-up), ports and probes,
 * the roles' commands, images, labels and selectors, secrets, and the KafkaTopics against
 * {@link Topics}. {@link KafkaAclsTest} runs the roles with the KafkaUsers' ACLs.
 */
class KubernetesManifestsTest {

    /** The role subcommands of the image's entry point, and which containers run them. */
    private static final Set<String> ROLES = Set.of("control-plane", "signaling", "mixer");
    /** Secrets a deployment has that no overlay renders: the operator's (README) and Strimzi's. */
    private static final Set<String> OPERATOR_SECRETS = Set.of("mcu-secrets", "mcu-turn", "mcu-tls");
    private static final String CLUSTER_CA = "mcu-kafka-cluster-ca-cert";

    private static Map<String, RenderedManifests> overlays;

    @BeforeAll
    static void render() throws Exception {
        overlays = new TreeMap<>();
        for (String o : RenderedManifests.OVERLAYS) {
            overlays.put(o, RenderedManifests.render(o));
        }
    }

    @Test
    void everyObjectParsesAndCarriesItsNamespace() {
        for (RenderedManifests m : overlays.values()) {
            assertTrue(m.objects().size() > 20, m.overlay() + ": " + m.objects().size() + " objects");
            for (HasMetadata o : m.objects()) {
                if (!o.getKind().equals("Namespace")) {
                    assertEquals("mcu", o.getMetadata().getNamespace(), m.overlay() + ": " + o.getKind() + " "
                            + o.getMetadata().getName());
                }
            }
            for (String kind : List.of("Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser")) {
                for (GenericKubernetesResource r : m.custom(kind)) {
                    assertEquals("mcu-kafka", r.getMetadata().getLabels() == null ? "mcu-kafka"
                            : r.getMetadata().getLabels().getOrDefault("strimzi.io/cluster", "mcu-kafka"),
                            kind + " " + r.getMetadata().getName() + " belongs to the cluster");
                }
            }
        }
    }

    @Test
    void rolesRunTheEntryPointsCommandsFromOneImage() {
        Set<String> commands = new CommandLine(new Main()).getSubcommands().keySet();
        assertTrue(commands.containsAll(ROLES), "Main's subcommands: " + commands);
        for (RenderedManifests m : overlays.values()) {
            Set<String> images = new HashSet<>();
            Set<String> roles = new TreeSet<>();
            for (Container c : roleContainers(m)) {
                images.add(c.getImage());
                roles.add(c.getArgs().get(0));
                assertEquals(1, c.getArgs().size(), c.getName() + ": " + c.getArgs());
            }
            assertEquals(ROLES, roles, m.overlay());
            assertEquals(1, images.size(), m.overlay() + ": one image for every role: " + images);
            assertTrue(images.iterator().next().matches("(.+/)?mcu:[\\w.-]+"), images.toString());
        }
        assertEquals("registry.example.org/mcu:0.1.0",
                roleContainers(overlays.get("production")).get(0).getImage());
    }

    /** What each role container's environment makes of the settings, as the process would read it. */
    @Test
    void everyEnvironmentVariableIsASettingTheCodeKnows() {
        for (RenderedManifests m : overlays.values()) {
            for (RenderedManifests.Workload w : m.workloads()) {
                for (Container c : w.containers()) {
                    if (!isRole(c)) {
                        continue;
                    }
                    Map<String, String> env = environment(m, c);
                    for (String name : env.keySet()) {
                        assertTrue(name.startsWith("MCU_") || name.equals("SERVER_PORT") || name.equals("SERVER_HOST"),
                                m.overlay() + " " + w.name() + ": " + name + " is not a setting");
                    }
                    AppSettings s = AppSettings.from(config(env)); // unknown keys and bad values throw
                    String role = c.getArgs().get(0);
                    assertEquals("SSL", s.kafkaProperties().get("security.protocol"), w.name());
                    assertMountedFrom(w, c, s.kafkaProperties().get("ssl.keystore.location"), "mcu-" + role);
                    assertMountedFrom(w, c, s.kafkaProperties().get("ssl.truststore.location"), CLUSTER_CA);
                    assertTrue(m.custom("KafkaUser").stream().anyMatch(u -> u.getMetadata().getName()
                            .equals("mcu-" + role)), "a KafkaUser for " + role);
                    assertTrue(s.kafkaBootstrap().matches("mcu-kafka-kafka-bootstrap:\\d+"), s.kafkaBootstrap());
                    int kafkaPort = Integer.parseInt(s.kafkaBootstrap().replaceAll(".*:", ""));
                    Map<String, Object> listener = tlsListener(m);
                    assertEquals(kafkaPort, ((Number) listener.get("port")).intValue(), "the bootstrap port is the TLS listener's");
                    if (role.equals("mixer")) {
                        assertTrue(s.mixer().minPort() > 0 && s.mixer().maxPort() > s.mixer().minPort(),
                                "workers on the host network need a fixed UDP range");
                    }
                }
            }
        }
    }

    @Test
    void portsAndProbesAreTheOnesTheProcessesServe() {
        for (RenderedManifests m : overlays.values()) {
            for (RenderedManifests.Workload w : m.workloads()) {
                for (Container c : w.containers()) {
                    assertNotNull(c.getReadinessProbe(), w.name() + " readiness");
                    assertNotNull(c.getLivenessProbe(), w.name() + " liveness");
                    assertNotNull(c.getResources().getRequests().get("cpu"), w.name() + " cpu request");
                    assertNotNull(c.getResources().getRequests().get("memory"), w.name() + " memory request");
                    assertNotNull(c.getResources().getLimits().get("memory"), w.name() + " memory limit");
                    if (!isRole(c)) {
                        continue;
                    }
                    int port = config(environment(m, c)).get("server.port").asInt().get();
                    ContainerPort http = c.getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst()
                            .orElseThrow(() -> new AssertionError(w.name() + " names its port http"));
                    assertEquals(port, http.getContainerPort(), w.name() + ": the port the server listens on");
                    assertProbe(c.getReadinessProbe(), "/observe/health/ready", w.name());
                    assertProbe(c.getLivenessProbe(), "/observe/health/live", w.name());
                }
            }
        }
    }

    @Test
    void selectorsMatchTheirPodsAndServicesTheirPorts() {
        for (RenderedManifests m : overlays.values()) {
            for (RenderedManifests.Workload w : m.workloads()) {
                assertTrue(w.selects(w.template().getMetadata().getLabels()), w.name() + " selects its own pods");
            }
            for (Service s : m.all(Service.class)) {
                RenderedManifests.Workload w = selected(m, s.getSpec().getSelector(), "Service " + s.getMetadata().getName());
                for (ServicePort p : s.getSpec().getPorts()) {
                    assertTrue(hasPort(w, p.getTargetPort().getStrVal(), p.getTargetPort().getIntVal()),
                            "Service " + s.getMetadata().getName() + " targets a port of " + w.name());
                }
            }
            for (PodDisruptionBudget b : m.all(PodDisruptionBudget.class)) {
                selected(m, b.getSpec().getSelector().getMatchLabels(), "PDB " + b.getMetadata().getName());
            }
            for (NetworkPolicy p : m.all(NetworkPolicy.class)) {
                Map<String, String> labels = p.getSpec().getPodSelector().getMatchLabels();
                if (labels == null || labels.isEmpty()) {
                    continue; // the default deny
                }
                RenderedManifests.Workload w = selected(m, labels, "NetworkPolicy " + p.getMetadata().getName());
                p.getSpec().getIngress().forEach(rule -> {
                    for (NetworkPolicyPort port : rule.getPorts()) {
                        assertTrue(hasPort(w, port.getPort().getStrVal(), port.getPort().getIntVal()),
                                "NetworkPolicy " + p.getMetadata().getName() + " opens a port " + w.name() + " serves");
                    }
                });
            }
            for (Ingress i : m.all(Ingress.class)) {
                boolean local = i.getSpec().getRules().stream().allMatch(r -> r.getHost().endsWith(".localhost"));
                assertTrue(local || !i.getSpec().getTls().isEmpty(),
                        "browsers allow the camera only on a secure origin: TLS, or a host under .localhost");
                Map<String, String> byPath = new HashMap<>();
                i.getSpec().getRules().forEach(r -> r.getHttp().getPaths().forEach(path -> {
                    IngressServiceBackend b = path.getBackend().getService();
                    Service s = m.named(Service.class, b.getName()).orElseThrow(() ->
                            new AssertionError("Ingress backend " + b.getName() + " is no Service"));
                    assertTrue(s.getSpec().getPorts().stream().anyMatch(p -> p.getName().equals(b.getPort().getName())));
                    byPath.put(path.getPath(), b.getName());
                }));
                assertEquals(Map.of("/v1", "control-plane", "/admin", "control-plane", "/openapi", "control-plane",
                        "/", "signaling"), byPath, "the admin API on the control plane, the client and /ws on signaling");
                assertTrue(Integer.parseInt(i.getMetadata().getAnnotations()
                        .get("nginx.ingress.kubernetes.io/proxy-read-timeout")) >= 3600, "WebSockets stay open");
            }
            for (GenericKubernetesResource pm : m.custom("PodMonitor")) {
                List<Map<String, Object>> endpoints = RenderedManifests.at(pm, "spec", "podMetricsEndpoints");
                endpoints.forEach(e -> assertEquals("/observe/metrics", e.get("path")));
            }
        }
    }

    @Test
    void mixerWorkersDrainWithinTheirGracePeriod() throws Exception {
        for (RenderedManifests m : overlays.values()) {
            RenderedManifests.Workload mixer = m.workload("mixer");
            assertEquals("StatefulSet", mixer.kind());
            assertTrue(mixer.template().getSpec().getHostNetwork(), "UDP media on the node's address");
            long grace = mixer.template().getSpec().getTerminationGracePeriodSeconds();
            assertTrue(grace * 1000 >= Main.MIXER_STOP_DEADLINE_MS + 5_000,
                    "the grace period (" + grace + " s) covers the drain and the stop deadline");
            List<String> preStop = mixer.containers().get(0).getLifecycle().getPreStop().getExec().getCommand();
            assertEquals(List.of("/app/bin/drain"), preStop);
            String dockerfile = Files.readString(RenderedManifests.K8S.resolve("Dockerfile"));
            assertTrue(dockerfile.contains("WORKDIR /app") && dockerfile.contains("COPY k8s/drain bin/drain"),
                    "the image holds the preStop script");
            assertTrue(Files.isExecutable(RenderedManifests.K8S.resolve("drain")));
            EnvVar worker = mixer.containers().get(0).getEnv().stream()
                    .filter(e -> e.getName().equals("MCU_MIXER_WORKER")).findFirst().orElseThrow();
            assertEquals("metadata.name", worker.getValueFrom().getFieldRef().getFieldPath(),
                    "stable worker ids from the StatefulSet's pod names");
        }
        assertEquals(1, overlays.get("production").custom("ScaledObject").size(), "workers scale on their load");
    }

    /** Signaling signs TURN credentials with the secret coturn checks them with, for coturn's port. */
    @Test
    void signalingAndCoturnShareTheTurnSecret() {
        for (RenderedManifests m : overlays.values()) {
            Container signaling = m.workload("signaling").containers().get(0);
            Container coturn = m.workload("coturn").containers().get(0);
            AppSettings s = AppSettings.from(config(environment(m, signaling)));
            assertNotNull(s.turn(), m.overlay() + ": signaling hands out TURN credentials");
            EnvVar signs = signaling.getEnv().stream().filter(e -> e.getName().equals("MCU_ICE_TURN_SECRET")).findFirst()
                    .orElseThrow();
            EnvVar checks = coturn.getEnv().stream().filter(e -> e.getName().equals("TURN_SECRET")).findFirst().orElseThrow();
            assertEquals(checks.getValueFrom().getSecretKeyRef(), signs.getValueFrom().getSecretKeyRef(), m.overlay());
            assertTrue(coturn.getArgs().containsAll(List.of("--use-auth-secret", "--static-auth-secret=$(TURN_SECRET)")));
            String port = coturn.getArgs().stream().filter(a -> a.startsWith("--listening-port=")).findFirst().orElseThrow()
                    .substring("--listening-port=".length());
            String urls = signaling.getEnv().stream().filter(e -> e.getName().equals("MCU_ICE_TURN_URLS")).findFirst()
                    .orElseThrow().getValue();
            for (String url : urls.split(",")) {
                assertTrue(url.matches("turns?:[^:]+:" + port + "(\\?transport=(udp|tcp))?"), url);
            }
            for (RenderedManifests.Workload w : m.workloads()) {
                if (!w.name().equals("signaling") && !w.name().equals("coturn")) {
                    assertTrue(w.containers().stream().flatMap(c -> c.getEnv().stream()).noneMatch(e -> e.getValueFrom() != null
                            && e.getValueFrom().getSecretKeyRef() != null
                            && e.getValueFrom().getSecretKeyRef().getName().startsWith("mcu-turn")), w.name() + " needs no TURN secret");
                }
            }
        }
    }

    @Test
    void everySecretReferencedIsRenderedOrMadeByTheOperatorOrStrimzi() {
        for (RenderedManifests m : overlays.values()) {
            Set<String> rendered = m.all(Secret.class).stream().map(s -> s.getMetadata().getName())
                    .collect(Collectors.toSet());
            Set<String> strimzi = new HashSet<>(Set.of(CLUSTER_CA));
            m.custom("KafkaUser").forEach(u -> strimzi.add(u.getMetadata().getName()));
            for (String ref : secretReferences(m)) {
                assertTrue(rendered.contains(ref) || strimzi.contains(ref)
                                || (m.overlay().equals("production") && OPERATOR_SECRETS.contains(ref)),
                        m.overlay() + ": Secret " + ref + " is neither rendered nor made by the operator or Strimzi");
            }
        }
    }

    @Test
    void kafkaTopicsAreTheTopicsTheCodeUsesConfiguredAsItConfiguresThem() {
        for (RenderedManifests m : overlays.values()) {
            Map<String, GenericKubernetesResource> topics = new TreeMap<>();
            m.custom("KafkaTopic").forEach(t -> topics.put(RenderedManifests.at(t, "spec", "topicName"), t));
            assertEquals(new TreeSet<>(Topics.SHARED), topics.keySet(), m.overlay());
            GenericKubernetesResource kafka = m.custom("Kafka").get(0);
            Map<String, Object> brokerConfig = RenderedManifests.at(kafka, "spec", "kafka", "config");
            int nodes = ((Number) RenderedManifests.at(m.custom("KafkaNodePool").get(0), "spec", "replicas")).intValue();
            int replication = ((Number) brokerConfig.get("default.replication.factor")).intValue();
            assertTrue(replication <= nodes && ((Number) brokerConfig.get("min.insync.replicas")).intValue()
                    <= Math.max(1, replication - 1), m.overlay() + ": one broker may fail");
            topics.forEach((name, t) -> {
                assertEquals(1, ((Number) RenderedManifests.at(t, "spec", "partitions")).intValue(),
                        name + ": one partition (order within a room)");
                assertEquals(replication, ((Number) RenderedManifests.at(t, "spec", "replicas")).intValue(), name);
                Map<String, Object> config = RenderedManifests.at(t, "spec", "config");
                Map<String, String> asText = new TreeMap<>();
                config.forEach((k, v) -> asText.put(k, String.valueOf(v)));
                assertEquals(new TreeMap<>(Topics.config(name)), asText, name + ": as KafkaBus creates it");
            });
            assertEquals(false, brokerConfig.get("auto.create.topics.enable"));
        }
    }

    private static List<Container> roleContainers(RenderedManifests m) {
        return m.workloads().stream().flatMap(w -> w.containers().stream()).filter(KubernetesManifestsTest::isRole).toList();
    }

    private static boolean isRole(Container c) {
        return c.getArgs() != null && !c.getArgs().isEmpty() && ROLES.contains(c.getArgs().get(0));
    }

    /**
     * The container's environment: its ConfigMaps and Secrets (keys of one the overlay does not
     * render come from the single-node overlay's), then its own variables (a value from a secret or
     * a field stands in as a placeholder).
     */
    private static Map<String, String> environment(RenderedManifests m, Container c) {
        Map<String, String> env = new TreeMap<>();
        for (EnvFromSource from : c.getEnvFrom()) {
            if (from.getConfigMapRef() != null) {
                env.putAll(m.named(ConfigMap.class, from.getConfigMapRef().getName()).orElseThrow().getData());
            } else {
                String name = from.getSecretRef().getName();
                Secret secret = m.named(Secret.class, name).or(() -> overlays.get("single-node").all(Secret.class).stream()
                        .filter(s -> unhashed(s.getMetadata().getName()).equals(name)).findFirst()).orElseThrow(() ->
                        new AssertionError("no keys known for Secret " + name));
                secret.getData().keySet().forEach(k -> env.put(k, "placeholder-from-a-secret-" + k.length()));
            }
        }
        for (EnvVar e : c.getEnv()) {
            env.put(e.getName(), e.getValue() != null ? e.getValue()
                    : e.getValueFrom().getFieldRef() != null ? "mixer-0" : "a-placeholder-from-a-secret-0123");
        }
        env.computeIfPresent("MCU_ADMIN_KEY", (k, v) -> "an-admin-key-of-the-operator-s");
        return env;
    }

    /** Settings as a process with this environment reads them (application.yaml below). */
    @SuppressWarnings("removal")
    private static Config config(Map<String, String> env) {
        return Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .addSource(ConfigSources.create(io.helidon.config.EnvironmentVariables.expand(env)))
                .addSource(ConfigSources.classpath("application.yaml")).build();
    }

    private static String unhashed(String generated) {
        return generated.replaceAll("-[a-z0-9]{10}$", "");
    }

    private static void assertMountedFrom(RenderedManifests.Workload w, Container c, String file, String secret) {
        assertNotNull(file, w.name() + ": a Kafka TLS store");
        VolumeMount mount = c.getVolumeMounts().stream().filter(v -> file.startsWith(v.getMountPath() + "/"))
                .findFirst().orElseThrow(() -> new AssertionError(w.name() + ": nothing mounted at " + file));
        Volume v = w.template().getSpec().getVolumes().stream().filter(x -> x.getName().equals(mount.getName()))
                .findFirst().orElseThrow();
        assertEquals(secret, v.getSecret().getSecretName(), w.name() + ": " + file);
        String key = file.substring(mount.getMountPath().length() + 1);
        assertTrue(key.equals("user.p12") || key.equals("ca.p12"), "a file Strimzi writes: " + key);
    }

    private static void assertProbe(Probe probe, String path, String workload) {
        assertEquals(path, probe.getHttpGet().getPath(), workload);
        assertEquals("http", probe.getHttpGet().getPort().getStrVal(), workload);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> tlsListener(RenderedManifests m) {
        List<Map<String, Object>> listeners = RenderedManifests.at(m.custom("Kafka").get(0), "spec", "kafka", "listeners");
        Map<String, Object> tls = listeners.stream().filter(l -> Boolean.TRUE.equals(l.get("tls"))).findFirst()
                .orElseThrow(() -> new AssertionError("a TLS listener"));
        assertEquals("tls", ((Map<String, Object>) tls.get("authentication")).get("type"), "client certificates");
        return tls;
    }

    private static RenderedManifests.Workload selected(RenderedManifests m, Map<String, String> selector, String what) {
        assertTrue(selector != null && !selector.isEmpty(), what + " has a selector");
        return m.workloads().stream().filter(w -> w.template().getMetadata().getLabels().entrySet()
                        .containsAll(selector.entrySet())).findFirst()
                .orElseThrow(() -> new AssertionError(what + " selects no pods: " + selector));
    }

    private static boolean hasPort(RenderedManifests.Workload w, String name, Integer number) {
        return w.containers().stream().flatMap(c -> c.getPorts().stream())
                .anyMatch(p -> (name != null && name.equals(p.getName()))
                        || (number != null && Objects.equals(number, p.getContainerPort())));
    }

    private static Set<String> secretReferences(RenderedManifests m) {
        Set<String> refs = new TreeSet<>();
        for (RenderedManifests.Workload w : m.workloads()) {
            for (Container c : w.containers()) {
                c.getEnvFrom().stream().filter(f -> f.getSecretRef() != null).forEach(f -> refs.add(f.getSecretRef().getName()));
                c.getEnv().stream().filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                        .forEach(e -> refs.add(e.getValueFrom().getSecretKeyRef().getName()));
            }
            if (w.template().getSpec().getVolumes() != null) {
                w.template().getSpec().getVolumes().stream().filter(v -> v.getSecret() != null)
                        .forEach(v -> refs.add(v.getSecret().getSecretName()));
            }
        }
        m.all(Ingress.class).stream().filter(i -> i.getSpec().getTls() != null)
                .forEach(i -> i.getSpec().getTls().forEach(t -> refs.add(t.getSecretName())));
        return refs;
    }
}
