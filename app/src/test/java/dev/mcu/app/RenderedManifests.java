package dev.mcu.app;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One kustomize overlay of {@code k8s/}, rendered by {@code kubectl kustomize} and parsed into
 * fabric8's Kubernetes model classes (custom resources such as Strimzi's as generic resources).
 */
record RenderedManifests(String overlay, List<HasMetadata> objects) {

    static final Path K8S = Path.of("..", "k8s").toAbsolutePath().normalize();
    static final List<String> OVERLAYS = List.of("single-node", "production");

    /**
     * Renders with {@code kubectl kustomize}. Without kubectl the calling test is skipped, saying so
     * (this machine kind ships one; bin/setup warns where it is missing).
     */
    static RenderedManifests render(String overlay) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("kubectl", "kustomize", K8S.resolve("overlays").resolve(overlay).toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("kubectl is not installed: k8s/ cannot be rendered (kubectl kustomize), so the "
                    + "manifest checks did not run");
            throw e;
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("kubectl kustomize " + overlay + " failed: "
                    + new String(out, StandardCharsets.UTF_8));
        }
        KubernetesSerialization yaml = new KubernetesSerialization();
        List<HasMetadata> objects = new ArrayList<>();
        for (String doc : new String(out, StandardCharsets.UTF_8).split("(?m)^---$")) {
            if (!doc.isBlank()) {
                objects.add(yaml.unmarshal(doc, HasMetadata.class));
            }
        }
        return new RenderedManifests(overlay, List.copyOf(objects));
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Custom resources of one kind (Strimzi's, KEDA's, the Prometheus Operator's). */
    List<GenericKubernetesResource> custom(String kind) {
        return all(GenericKubernetesResource.class).stream().filter(r -> r.getKind().equals(kind)).toList();
    }

    <T extends HasMetadata> Optional<T> named(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
    }

    /** A workload: a Deployment's or StatefulSet's name, kind and pod template. */
    record Workload(String kind, String name, Map<String, String> selector, PodTemplateSpec template) {
        List<Container> containers() {
            return template.getSpec().getContainers();
        }

        boolean selects(Map<String, String> labels) {
            return labels.entrySet().containsAll(selector.entrySet());
        }
    }

    List<Workload> workloads() {
        return Stream.concat(
                all(Deployment.class).stream().map(d -> new Workload("Deployment", d.getMetadata().getName(),
                        d.getSpec().getSelector().getMatchLabels(), d.getSpec().getTemplate())),
                all(StatefulSet.class).stream().map(s -> new Workload("StatefulSet", s.getMetadata().getName(),
                        s.getSpec().getSelector().getMatchLabels(), s.getSpec().getTemplate()))).toList();
    }

    Workload workload(String name) {
        return workloads().stream().filter(w -> w.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + ": no workload " + name));
    }

    /** A value at a path of maps inside a custom resource's body, or null. */
    @SuppressWarnings("unchecked")
    static <T> T at(GenericKubernetesResource r, String... path) {
        Object o = r.getAdditionalProperties();
        for (String key : path) {
            if (!(o instanceof Map<?, ?> m)) {
                return null;
            }
            o = m.get(key);
        }
        return (T) o;
    }
}
