package dev.mcu.app;

import dev.mcu.events.Ids;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A supervised child's tie to its launcher, over the child's stdin, whose write end the launcher
 * holds. A line {@code start <worker-id> <instance>} makes a standby start that worker; end-of-file
 * means the launcher is gone (stopped, or killed with SIGKILL, which runs no hook of its own), and
 * the child stops too: no worker outlives the launcher that owns it.
 */
final class LauncherLink {

    private static final System.Logger LOG = System.getLogger(LauncherLink.class.getName());
    /** How long the child's own shutdown may take before it halts. */
    private static final long GRACE_MS = 5_000;
    static final String START = "start";

    private LauncherLink() {
    }

    static void listen(Consumer<MixerRole.Run> start) {
        Thread.ofPlatform().name("launcher-link").daemon().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    String[] words = line.strip().split(" ");
                    if (words.length == 3 && words[0].equals(START) && Ids.valid(words[1]) && Ids.valid(words[2])) {
                        try {
                            start.accept(new MixerRole.Run(words[1], words[2]));
                        } catch (RuntimeException e) {
                            LOG.log(System.Logger.Level.ERROR, "starting worker " + words[1] + " failed", e);
                            System.exit(4);
                        }
                    } else if (!line.isBlank()) {
                        LOG.log(System.Logger.Level.WARNING, "unknown line from the launcher ignored: {0}", line);
                    }
                }
            } catch (IOException e) {
                // A broken pipe means the same as end-of-file.
            }
            LOG.log(System.Logger.Level.WARNING, "the launcher is gone (stdin closed): stopping");
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    Thread.sleep(GRACE_MS);
                } catch (InterruptedException ignored) {
                    // halting anyway
                }
                Runtime.getRuntime().halt(3);
            });
            System.exit(3);
        });
    }
}
