package dev.mcu.mixer.clock;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MediaClockTest {

    @Test
    void ticksAreDueAtAbsoluteDeadlinesAndLateOnesAreSkipped() throws Exception {
        AtomicLong lastIndex = new AtomicLong(-1);
        AtomicBoolean ordered = new AtomicBoolean(true);
        CountDownLatch stopped = new CountDownLatch(1);
        MediaClock clock = new MediaClock("test", TimeUnit.MILLISECONDS.toNanos(5), new MediaClock.Tickable() {
            @Override
            public void tick(long index, long deadline) {
                if (index <= lastIndex.getAndSet(index) || System.nanoTime() < deadline) {
                    ordered.set(false);
                }
                if (index == 10) {
                    sleep(40); // a stall: the ticks it overran are skipped, not run in a burst
                }
            }

            @Override
            public void stopped() {
                stopped.countDown();
            }
        });
        clock.start();
        Thread.sleep(300);
        clock.stop();
        assertTrue(stopped.await(1, TimeUnit.SECONDS), "stopped() runs on stop");
        assertTrue(ordered.get(), "tick indexes increase and never run before their deadline");
        assertTrue(clock.skippedTicks() >= 5, "skipped " + clock.skippedTicks());
        assertEquals(false, clock.isRunning());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void anAudioClockRunsAFewOverdueTicksBackToBackAfterAStall() throws Exception {
        AtomicLong lastIndex = new AtomicLong(-1);
        AtomicBoolean consecutive = new AtomicBoolean(true);
        MediaClock clock = new MediaClock("test", TimeUnit.MILLISECONDS.toNanos(10), (index, deadline) -> {
            if (index != lastIndex.getAndSet(index) + 1) {
                consecutive.set(false);
            }
            if (index == 5) {
                sleep(35); // overruns ticks 6..8: within the catch-up budget (large, for a busy host)
            }
        }, 20);
        clock.start();
        Thread.sleep(200);
        clock.stop();
        assertTrue(consecutive.get(), "no tick skipped");
        assertEquals(0, clock.skippedTicks());
    }
}
