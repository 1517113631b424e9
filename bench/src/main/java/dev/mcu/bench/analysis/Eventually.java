package dev.mcu.bench.analysis;

import java.util.function.BooleanSupplier;

/** Polling for conditions that take media time to hold (tests and benchmarks). */
public final class Eventually {

    private Eventually() {
    }

    /** Polls a condition until it holds or the time runs out; returns whether it held. */
    public static boolean holds(long timeoutMs, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }
}
