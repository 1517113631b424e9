package dev.mcu.bench.media;

import dev.mcu.bench.synthetic.LocalRoom;
import dev.mcu.mixer.MixerConfig;

import java.util.function.BooleanSupplier;

/** A {@link LocalRoom} for tests, with polling for conditions that take media time to hold. */
final class MixerHarness extends LocalRoom {

    MixerHarness(MixerConfig config) {
        super(config);
    }

    /** Polls a condition until it holds or the time runs out; returns whether it held. */
    static boolean eventually(long timeoutMs, BooleanSupplier condition) throws InterruptedException {
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
