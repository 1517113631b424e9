package dev.mcu.app.supervision;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Booted standby processes, kept at the configured number so that a worker that dies is replaced by
 * one that is already warm: naming a standby takes a fraction of a second, where a cold JVM takes
 * several on a loaded machine. With no spares configured, each take boots a new process. A taken
 * standby is replaced {@link #REFILL_DELAY} later, not while the calls it took over reconnect.
 */
final class SparePool implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SparePool.class.getName());

    /**
     * A standby's boot takes a core for several seconds: the one replacing a standby just named
     * starts this much later, once the calls that moved to it have settled.
     */
    static final Duration REFILL_DELAY = Duration.ofSeconds(10);

    private final WorkerLaunch launch;
    private final ScheduledExecutorService refill =
            Executors.newSingleThreadScheduledExecutor(
                    r -> Thread.ofPlatform().name("standby-refill").daemon().unstarted(r));
    private final int target;
    private final PrintStream out;
    private final Deque<Spare> spares = new ArrayDeque<>();
    private int made;
    private boolean closed;

    SparePool(WorkerLaunch launch, int target, PrintStream out) {
        this.launch = launch;
        this.target = target;
        this.out = out;
        fill();
    }

    /**
     * A booted standby (the longest booted first), replaced in the pool by a new one; waits up to the
     * timeout for one to boot when none has yet.
     */
    Spare take(Duration bootTimeout) throws IOException, InterruptedException {
        Spare s;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("stopping");
            }
            spares.removeIf(x -> !x.process.isAlive());
            s = spares.stream().filter(Spare::booted).findFirst().orElse(spares.peekFirst());
            if (s != null) {
                spares.remove(s);
            } else {
                s = spawn();
            }
            refill.schedule(this::refill, REFILL_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        }
        try {
            s.output.booted().get(bootTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return s;
        } catch (ExecutionException | TimeoutException e) {
            s.process.destroyForcibly();
            throw new IOException("a standby did not boot within " + bootTimeout.toSeconds() + " s: "
                    + e.getMessage(), e);
        }
    }

    private synchronized void refill() {
        fill();
    }

    synchronized boolean ready() {
        return readyCount() > 0;
    }

    synchronized int readyCount() {
        return (int) spares.stream().filter(Spare::booted).count();
    }

    private void fill() {
        while (!closed && spares.size() < target) {
            try {
                spares.addLast(spawn());
            } catch (IOException e) {
                LOG.log(Level.ERROR, "cannot start a standby worker process: {0}", e.getMessage());
                return;
            }
        }
    }

    private Spare spawn() throws IOException {
        return Spare.spawn(launch, "standby-" + (++made), out);
    }

    /** Stops every standby; they hold no rooms. */
    @Override
    public void close() {
        Deque<Spare> left;
        refill.shutdownNow();
        synchronized (this) {
            closed = true;
            left = new ArrayDeque<>(spares);
            spares.clear();
        }
        for (Spare s : left) {
            s.process.destroy();
        }
        for (Spare s : left) {
            try {
                if (!s.process.waitFor(5, TimeUnit.SECONDS)) {
                    s.process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                s.process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
