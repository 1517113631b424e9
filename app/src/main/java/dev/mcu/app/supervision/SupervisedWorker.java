package dev.mcu.app.supervision;

import dev.mcu.events.Ids;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One mixer worker id as a child process, kept running: a booted standby is named this worker,
 * watched until it is ready (its new instance heartbeats), and when it exits for any reason other than the launcher stopping,
 * reported dead at once (so its rooms move now rather than after the heartbeat timeout), its last
 * native abort message logged, and replaced by the next standby, as a new instance, after
 * {@link RestartBackoff}.
 * Each run holds the write end of the child's stdin: if the launcher dies, the child sees
 * end-of-file and stops too.
 */
final class SupervisedWorker {

    private static final System.Logger LOG = System.getLogger(SupervisedWorker.class.getName());

    /** What the supervisor needs from the world around a worker. */
    interface Watch {
        /** Whether this instance of the worker has been heard from, ready. */
        boolean ready(String workerId, String instance);

        /** Tells everyone, through Kafka, that this instance is gone. */
        void died(String workerId, String instance, long atMs);
    }

    /** A standby boots in a few seconds; one that takes this long is not going to. */
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(60);

    private final String id;
    private final SparePool spares;
    private final Watch watch;
    private final RestartBackoff backoff;
    private final AtomicLong restarts = new AtomicLong();
    private final AtomicLong recycles = new AtomicLong();
    private final Thread loop;
    private volatile boolean stopping;
    private volatile boolean recycling;
    private volatile Process process;
    private volatile String instance;
    private volatile long readyAtNanos;

    SupervisedWorker(String id, SparePool spares, Watch watch, RestartBackoff backoff) {
        this.id = id;
        this.spares = spares;
        this.watch = watch;
        this.backoff = backoff;
        this.loop = Thread.ofPlatform().name("supervise-" + id).daemon().unstarted(this::superviseLoop);
    }

    SupervisedWorker start() {
        loop.start();
        return this;
    }

    String id() {
        return id;
    }

    /** The current run's instance, or null before the first start. */
    String instance() {
        return instance;
    }

    /** The current process's pid, or -1 while none runs. */
    long pid() {
        Process p = process;
        return p != null && p.isAlive() ? p.pid() : -1;
    }

    boolean isReady() {
        return readyAtNanos != 0 && pid() > 0;
    }

    long restarts() {
        return restarts.get();
    }

    long recycles() {
        return recycles.get();
    }

    OptionalLong residentBytes() {
        long pid = pid();
        return pid > 0 ? ProcessMemory.residentBytes(pid) : OptionalLong.empty();
    }

    /** Restarts the worker on purpose (its memory passed the bound and its rooms have moved). */
    void recycle() {
        Process p = process;
        if (p != null && p.isAlive()) {
            recycling = true;
            recycles.incrementAndGet();
            p.destroy(); // SIGTERM: the worker closes its peers and exits
        }
    }

    private void superviseLoop() {
        while (!stopping) {
            String run = Ids.random("i");
            Spare spare;
            try {
                spare = spares.take(BOOT_TIMEOUT);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.ERROR, "worker {0}: no process to run it: {1}", id, e.getMessage());
                if (!pause(backoff.afterDeath(null))) {
                    return;
                }
                continue;
            } catch (InterruptedException e) {
                return;
            }
            Process p = spare.process;
            ChildOutput out = spare.output;
            instance = run;
            readyAtNanos = 0;
            process = p;
            if (stopping) { // stop() ran while this one was being taken and could not see it
                p.destroyForcibly();
                return;
            }
            long startedAt = System.nanoTime();
            try {
                spare.promote(id, run);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "worker {0}: the standby (pid {1}) could not be named: {2}", id,
                        String.valueOf(p.pid()), e.getMessage());
                p.destroyForcibly();
            }
            int exit = awaitExit(p, run, startedAt);
            long diedAtMs = System.currentTimeMillis();
            if (stopping) {
                return;
            }
            watch.died(id, run, diedAtMs);
            try {
                out.drain(1000);
            } catch (InterruptedException e) {
                return;
            }
            Duration served = readyAtNanos == 0 ? null : Duration.ofNanos(System.nanoTime() - readyAtNanos);
            Duration delay = recycling ? Duration.ZERO : backoff.afterDeath(served);
            logDeath(p.pid(), exit, Duration.ofNanos(System.nanoTime() - startedAt), out, delay);
            recycling = false;
            if (!pause(delay)) {
                return;
            }
            restarts.incrementAndGet();
        }
    }

    /** Watches the process until it exits, noting when its instance first heartbeats ready. */
    private int awaitExit(Process p, String run, long startedAt) {
        try {
            while (!p.waitFor(50, TimeUnit.MILLISECONDS)) {
                if (readyAtNanos == 0 && watch.ready(id, run)) {
                    readyAtNanos = System.nanoTime();
                    LOG.log(Level.INFO, "worker {0} (pid {1}, instance {2}) is ready {3} ms after it was named", id,
                            String.valueOf(p.pid()), run, String.valueOf(TimeUnit.NANOSECONDS.toMillis(readyAtNanos
                                    - startedAt)));
                    // Once ready, nothing is left to poll for: block until exit (stop() interrupts).
                    return p.waitFor();
                }
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private void logDeath(long pid, int exit, Duration ran, ChildOutput out, Duration delay) {
        String cause = ExitCause.describe(exit);
        String abort = out.nativeAbort().map(m -> "; its last native abort message: " + m)
                .orElse("; it printed no native abort message");
        if (recycling) {
            LOG.log(Level.INFO, "worker {0} (pid {1}) recycled after {2} s ({3}); starting it again", id,
                    String.valueOf(pid), String.valueOf(ran.toSeconds()), cause);
        } else {
            LOG.log(Level.ERROR, "worker {0} (pid {1}) died after {2} s: {3}{4}; restarting in {5} ms", id,
                    String.valueOf(pid), String.valueOf(ran.toSeconds()), cause, abort, String.valueOf(delay.toMillis()));
        }
    }

    private boolean pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
            return !stopping;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** Stops supervising and the process: SIGTERM, then SIGKILL after the grace period. */
    void stop(Duration grace) {
        stopping = true;
        loop.interrupt();
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.log(Level.WARNING, "worker {0} (pid {1}) did not stop within {2} s: killing it", id,
                        String.valueOf(p.pid()), String.valueOf(grace.toSeconds()));
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
