package dev.mcu.app;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import dev.mcu.events.Ids;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * The launcher: {@code dev} runs every role in one JVM with an embedded Kafka broker (the
 * single-machine default); {@code control-plane}, {@code signaling} and {@code mixer} run one role
 * against the Kafka cluster in {@code mcu.kafka.bootstrap} (distributed mode).
 */
@Command(name = "mcu", mixinStandardHelpOptions = true,
        subcommands = {Main.Dev.class, Main.ControlPlaneCommand.class, Main.SignalingCommand.class,
                Main.MixerCommand.class},
        description = "MCU conferencing mixer")
public final class Main {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    /**
     * Runs until SIGINT/SIGTERM, then closes what it started. A close that has not finished within
     * {@code deadlineMs} (a stuck broker, a native call that never returns) is reported with where it
     * is stuck, child processes are killed and the JVM halts: Ctrl-C always stops the launcher, and an
     * orchestrator's grace period is never the only way out.
     */
    static int runUntilStopped(AutoCloseable running, String banner, long deadlineMs) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            Thread closer = Thread.ofPlatform().name("mcu-stop").start(() -> {
                try {
                    running.close();
                } catch (Exception e) {
                    System.getLogger(Main.class.getName()).log(System.Logger.Level.ERROR, "stopping failed", e);
                }
            });
            try {
                closer.join(deadlineMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (closer.isAlive()) {
                // stderr, not the logger: the logging framework's own shutdown hook may have run already.
                StringBuilder where = new StringBuilder();
                for (StackTraceElement frame : closer.getStackTrace()) {
                    where.append(System.lineSeparator()).append("    at ").append(frame);
                }
                System.err.println("mcu: stopping did not finish within " + deadlineMs / 1000
                        + " s; halting. Stuck at:" + where);
                ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
                Runtime.getRuntime().halt(1);
            }
            stopped.countDown();
        }));
        System.out.println(banner);
        stopped.await();
        return 0;
    }

    /** How long stopping may take before the process halts (within Kubernetes' default grace of 30 s). */
    static final long STOP_DEADLINE_MS = 25_000;

    /**
     * A mixer process drains before it stops (its rooms move, up to {@value MixerRole#DRAIN_SECONDS} s),
     * so it may take that much longer; k8s/ gives mixer pods a grace period that covers it.
     */
    static final long MIXER_STOP_DEADLINE_MS = MixerRole.DRAIN_SECONDS * 1000L + STOP_DEADLINE_MS;

    @Command(name = "dev", mixinStandardHelpOptions = true,
            description = "Every role in one JVM with an embedded Kafka broker (PROTOCOL.md section 4).")
    static final class Dev implements Callable<Integer> {

        @Override
        public Integer call() throws InterruptedException {
            LogConfig.configureRuntime();
            DevMode dev = DevMode.start(Config.create());
            String url = "http://localhost:" + dev.port();
            return runUntilStopped(dev, String.join(System.lineSeparator(), "",
                    "MCU dev mode is up: " + url,
                    "  join:      " + url + "/?room=demo&name=A   (and " + url + "/?room=demo&name=B)",
                    "  admin:     " + url + "/admin   key: " + dev.settings().adminKey(),
                    "  health:    " + url + "/observe/health   metrics: " + url + "/observe/metrics",
                    "Ctrl-C stops everything."), STOP_DEADLINE_MS);
        }
    }

    /** One role against an external Kafka cluster. */
    abstract static class RoleCommand implements Callable<Integer> {

        abstract String name();

        abstract Roles start(Config config, AppSettings settings);

        long stopDeadlineMs() {
            return STOP_DEADLINE_MS;
        }

        @Override
        public Integer call() throws InterruptedException {
            LogConfig.configureRuntime();
            Config config = Config.create();
            AppSettings settings = AppSettings.from(config);
            if (settings.kafkaBootstrap().isEmpty()) {
                System.err.println("mcu " + name() + ": set mcu.kafka.bootstrap (MCU_KAFKA_BOOTSTRAP) to the Kafka"
                        + " cluster; only dev mode embeds a broker");
                return 2;
            }
            Roles roles = start(config, settings);
            return runUntilStopped(roles, "MCU " + name() + " is up on port " + roles.port()
                    + " (Kafka " + settings.kafkaBootstrap() + ")", stopDeadlineMs());
        }
    }

    @Command(name = "control-plane", mixinStandardHelpOptions = true,
            description = "Admin API, tokens, scheduler, dashboard.")
    static final class ControlPlaneCommand extends RoleCommand {
        @Override
        String name() {
            return "control-plane";
        }

        @Override
        Roles start(Config config, AppSettings settings) {
            return Roles.start(config, settings, settings.kafkaBootstrap(), Set.of(Roles.Role.CONTROL_PLANE), false);
        }
    }

    @Command(name = "signaling", mixinStandardHelpOptions = true,
            description = "WebSocket signaling and the browser client.")
    static final class SignalingCommand extends RoleCommand {
        @Override
        String name() {
            return "signaling";
        }

        @Override
        Roles start(Config config, AppSettings settings) {
            return Roles.start(config, settings, settings.kafkaBootstrap(), Set.of(Roles.Role.SIGNALING), false);
        }
    }

    @Command(name = "mixer", mixinStandardHelpOptions = true,
            description = "Mixer workers (mcu.mixer.count of them, ids mcu.mixer.worker-1...), or the one given.")
    static final class MixerCommand extends RoleCommand {

        @Option(names = "--worker", description = "Run only this worker id (a supervised child runs one).")
        String worker;

        @Option(names = "--instance", description = "This run's instance id (given by the supervisor).")
        String instance;

        @Option(names = "--standby", description = "A spare of the dev launcher: boot, make the mixer and its"
                + " factories, then start the worker the launcher names on stdin (start <id> <instance>); exit"
                + " when stdin closes (the launcher is gone), so no worker outlives it.")
        boolean standby;

        @Override
        long stopDeadlineMs() {
            return MIXER_STOP_DEADLINE_MS;
        }

        @Override
        String name() {
            return standby ? "mixer standby" : worker == null ? "mixer" : "mixer " + worker;
        }

        @Override
        Roles start(Config config, AppSettings settings) {
            if (standby) {
                Roles roles = Roles.start(config, settings, settings.kafkaBootstrap(), Set.of(Roles.Role.MIXER), false,
                        List.of());
                roles.mixer().warm();
                LauncherLink.listen(run -> roles.mixer().start(run));
                return roles;
            }
            List<MixerRole.Run> runs = worker == null ? MixerRole.Run.fresh(settings.workerIds())
                    : List.of(new MixerRole.Run(Ids.require(worker, "--worker"),
                            instance == null ? Ids.random("i") : Ids.require(instance, "--instance")));
            return Roles.start(config, settings, settings.kafkaBootstrap(), Set.of(Roles.Role.MIXER), false, runs);
        }
    }
}
