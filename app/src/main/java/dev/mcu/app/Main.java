package dev.mcu.app;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** The launcher: {@code dev} runs every role in one JVM (the single-machine default). */
@Command(name = "mcu", mixinStandardHelpOptions = true, subcommands = Main.Dev.class,
        description = "MCU conferencing mixer")
public final class Main {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Command(name = "dev", mixinStandardHelpOptions = true,
            description = "Every role in one JVM with an embedded Kafka broker (PROTOCOL.md section 4).")
    static final class Dev implements Callable<Integer> {

        @Override
        public Integer call() throws InterruptedException {
            LogConfig.configureRuntime();
            DevMode dev = DevMode.start(Config.create());
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
                dev.close();
                stopped.countDown();
            }));
            String url = "http://localhost:" + dev.port();
            System.out.println();
            System.out.println("MCU dev mode is up: " + url);
            System.out.println("  join:      " + url + "/?room=demo&name=A   (and " + url + "/?room=demo&name=B)");
            System.out.println("  admin key: " + dev.settings().adminKey());
            System.out.println("  health:    " + url + "/observe/health   metrics: " + url + "/observe/metrics");
            System.out.println("Ctrl-C stops everything.");
            stopped.await();
            return 0;
        }
    }
}
