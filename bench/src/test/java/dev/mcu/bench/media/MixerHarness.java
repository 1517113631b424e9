package dev.mcu.bench.media;

import dev.mcu.bench.analysis.Eventually;
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
        return Eventually.holds(timeoutMs, condition);
    }
}
