package dev.mcu.app;

import java.io.IOException;
import java.io.InputStream;

/**
 * A supervised child's tie to its launcher: the launcher holds the write end of the child's stdin,
 * so end-of-file means it is gone (stopped, or killed with SIGKILL, which runs no hook of its own).
 * The child then stops too; no worker outlives the launcher that owns it.
 */
final class ParentWatch {

    private static final System.Logger LOG = System.getLogger(ParentWatch.class.getName());
    /** How long the child's own shutdown may take before it halts. */
    private static final long GRACE_MS = 5_000;

    private ParentWatch() {
    }

    static void exitWhenStdinCloses() {
        Thread.ofPlatform().name("parent-watch").daemon().start(() -> {
            InputStream in = System.in;
            try {
                while (in.read() >= 0) {
                    // The launcher writes nothing; any byte is ignored.
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
