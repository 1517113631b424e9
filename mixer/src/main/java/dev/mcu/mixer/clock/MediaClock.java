package dev.mcu.mixer.clock;

import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A ticking thread with absolute deadlines: tick n is due at start + n x period, so the clock never
 * drifts (webrtc-java's FramePacer sleeps relative to the previous frame and drifts; it is not used
 * here). After a stall, up to {@code catchUpTicks} overdue ticks run back to back and older ones are
 * skipped: a video clock catches up none (a late composite is worth nothing once the next is due),
 * an audio clock a few (the audio is still in the queues, and a skipped tick is a gap in the sound).
 *
 * <p>The clock thread is the only caller of {@link Tickable#tick}; whatever state a tickable
 * touches is owned by that thread.
 */
public final class MediaClock {

    /** Work done once per tick, on the clock thread. */
    public interface Tickable {
        void tick(long tickIndex, long deadlineNanos);

        /** Called once on the clock thread after the last tick: release what the ticks held. */
        default void stopped() {
        }
    }

    private static final System.Logger LOG = System.getLogger(MediaClock.class.getName());

    private final String name;
    private final long periodNanos;
    private final Tickable tickable;
    private final long catchUpTicks;
    private volatile Thread thread;
    private volatile boolean running;
    private volatile long completedTicks;
    private volatile long skippedTicks;

    /** A clock that skips every tick more than one period overdue. */
    public MediaClock(String name, long periodNanos, Tickable tickable) {
        this(name, periodNanos, tickable, 0);
    }

    /** A clock that runs up to {@code catchUpTicks} overdue ticks back to back after a stall. */
    public MediaClock(String name, long periodNanos, Tickable tickable, int catchUpTicks) {
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("period must be positive");
        }
        if (catchUpTicks < 0) {
            throw new IllegalArgumentException("catchUpTicks must not be negative");
        }
        this.name = name;
        this.periodNanos = periodNanos;
        this.tickable = tickable;
        this.catchUpTicks = catchUpTicks;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        Thread t = Thread.ofPlatform().name(name).daemon().unstarted(this::run);
        t.setPriority(Thread.MAX_PRIORITY);
        thread = t;
        t.start();
    }

    /** Stops the clock and waits for its thread to finish its last tick and {@code stopped()}. */
    public synchronized void stop() {
        Thread t = thread;
        if (!running || t == null) {
            return;
        }
        running = false;
        LockSupport.unpark(t);
        if (t != Thread.currentThread()) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        thread = null;
    }

    public boolean isRunning() {
        return running;
    }

    public long completedTicks() {
        return completedTicks;
    }

    public long skippedTicks() {
        return skippedTicks;
    }

    /**
     * Waits (on the caller's thread, never the clock's) until a tick that started after this call
     * has completed, so state unpublished before the call is no longer in use by the clock.
     */
    public void awaitTickBoundary(long timeoutNanos) {
        long seen = completedTicks;
        long deadline = System.nanoTime() + timeoutNanos;
        while (running && thread != Thread.currentThread() && completedTicks <= seen
                && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Math.min(periodNanos / 4, 1_000_000L));
        }
    }

    private void run() {
        long start = System.nanoTime();
        long n = 0;
        try {
            while (running) {
                long deadline = start + n * periodNanos;
                long wait = deadline - System.nanoTime();
                while (wait > 0 && running) {
                    LockSupport.parkNanos(wait);
                    wait = deadline - System.nanoTime();
                }
                if (!running) {
                    break;
                }
                long overdue = -wait / periodNanos; // whole periods past this tick's deadline
                if (overdue > catchUpTicks) {
                    long skip = overdue - catchUpTicks;
                    n += skip;
                    skippedTicks += skip;
                    continue;
                }
                try {
                    tickable.tick(n, deadline);
                } catch (Throwable e) {
                    LOG.log(Level.ERROR, name + ": tick " + n + " failed", e);
                }
                completedTicks++;
                n++;
            }
        } finally {
            try {
                tickable.stopped();
            } catch (Throwable e) {
                LOG.log(Level.ERROR, name + ": release after stop failed", e);
            }
        }
    }
}
