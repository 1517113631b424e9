package dev.mcu.app.supervision;

import io.helidon.config.Config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The command line of a worker child, a standby that boots and then waits to be named a worker: this JVM's java and class path, the configured JVM options,
 * and the launcher's effective settings as system properties (they win over the child's own
 * application.yaml and environment, so the child runs exactly as configured, overrides included).
 * Secrets stay out of the command line, where any local user could read them: the mixer needs
 * none, and the child inherits the launcher's environment anyway.
 */
final class WorkerLaunch {

    /** Keys the child must not take from the launcher: it is one worker on the embedded broker, port 0. */
    private static final Set<String> NOT_PASSED = Set.of("mcu.kafka.bootstrap", "mcu.mixer.count",
            "mcu.mixer.isolation", "mcu.admin.key", "mcu.tokens.secret", "server.port");

    /** What the launcher prints once a standby has booted and waits to be given a worker id. */
    static final String BOOTED = "MCU mixer standby is up";

    /** Passed in the child's environment (readable only by its owner), not on its command line. */
    private static final Set<String> SECRET = Set.of("mcu.ice.credential");

    private final List<String> command;
    private final Map<String, String> environment = new TreeMap<>();

    WorkerLaunch(Config config, List<String> jvmOptions, boolean coreDumps, String kafkaBootstrap) {
        List<String> cmd = new ArrayList<>();
        if (!coreDumps) {
            // The shell sets the limit and becomes the JVM (exec): same pid, no extra process.
            cmd.addAll(List.of("/bin/sh", "-c", "ulimit -c 0 && exec \"$@\"", "mcu-worker"));
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(jvmOptions);
        settings(config).forEach((k, v) -> {
            if (SECRET.contains(k)) {
                environment.put(k.toUpperCase(java.util.Locale.ROOT).replace('.', '_'), v);
            } else {
                cmd.add("-D" + k + "=" + v);
            }
        });
        cmd.add("-Dmcu.kafka.bootstrap=" + kafkaBootstrap);
        cmd.add("-Dserver.port=0");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.mcu.app.Main");
        cmd.add("mixer");
        cmd.add("--standby");
        this.command = List.copyOf(cmd);
    }

    /** The settings under {@code mcu} and {@code server} that the child takes over. */
    static Map<String, String> settings(Config config) {
        Map<String, String> passed = new TreeMap<>();
        for (String root : List.of("mcu", "server")) {
            config.get(root).traverse().filter(Config::isLeaf).forEach(c -> {
                String key = c.key().toString();
                if (!NOT_PASSED.contains(key) && !key.startsWith("mcu.kafka.properties.")) {
                    c.asString().ifPresent(v -> passed.put(key, v));
                }
            });
        }
        return passed;
    }

    /** What the child's environment gets on top of the launcher's: the secrets among the settings. */
    Map<String, String> environment() {
        return Map.copyOf(environment);
    }

    /** A standby: it boots, then starts the worker its launcher names on its stdin. */
    List<String> command() {
        return command;
    }

    /** The line that makes a booted standby start this worker (see dev.mcu.app.LauncherLink). */
    static String startLine(String workerId, String instance) {
        return "start " + workerId + " " + instance + "\n";
    }
}
