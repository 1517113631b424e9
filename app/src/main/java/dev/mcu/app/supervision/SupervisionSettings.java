package dev.mcu.app.supervision;

import java.time.Duration;
import java.util.List;

/**
 * How the single-machine default runs its mixer workers.
 *
 * @param isolation   child processes (the default: a native abort costs one worker's rooms a few
 *                    seconds) or inside the launcher's JVM (tests that reach into a worker)
 * @param jvmOptions  the children's JVM options ({@code mcu.mixer.process.options})
 * @param restartMin  the delay before restarting a worker that died after running well
 * @param restartMax  the cap of the doubling delay for one that keeps dying young
 * @param memoryMaxMb a worker whose resident memory passes this many MB is recycled: drained (its
 *                    rooms move), then restarted; 0 turns recycling off
 * @param spares      booted standby processes kept ready to take over a dead worker's id at once
 *                    (0: a dead worker restarts as a cold JVM, several seconds)
 * @param coreDumps   whether a crashed child may dump core: off by default, because the kernel
 *                    writes a worker's whole memory before the process is gone, and its rooms wait
 *                    for that (seconds for a 1 GB JVM, where the container allows cores)
 */
public record SupervisionSettings(Isolation isolation, List<String> jvmOptions, Duration restartMin,
                                  Duration restartMax, long memoryMaxMb, int spares, boolean coreDumps) {

    /** Where the workers run. */
    public enum Isolation {
        PROCESS("process"), IN_PROCESS("in-process");

        private final String wire;

        Isolation(String wire) {
            this.wire = wire;
        }

        public static Isolation of(String value) {
            for (Isolation i : values()) {
                if (i.wire.equals(value)) {
                    return i;
                }
            }
            throw new IllegalArgumentException("mcu.mixer.isolation must be process or in-process: " + value);
        }
    }

    public SupervisionSettings {
        jvmOptions = List.copyOf(jvmOptions);
        if (restartMin.isNegative() || restartMin.compareTo(restartMax) > 0 || restartMax.toMinutes() > 10) {
            throw new IllegalArgumentException("mcu.mixer.restart.min must be from 0 to mcu.mixer.restart.max,"
                    + " which is at most 10 minutes: " + restartMin.toMillis() + ", " + restartMax.toMillis());
        }
        if (memoryMaxMb != 0 && (memoryMaxMb < 256 || memoryMaxMb > 1 << 20)) {
            throw new IllegalArgumentException("mcu.mixer.memory.max must be 0 (off) or 256 to 1048576 MB: "
                    + memoryMaxMb);
        }
        if (spares < 0 || spares > 4) {
            throw new IllegalArgumentException("mcu.mixer.spares must be from 0 to 4: " + spares);
        }
        for (String option : jvmOptions) {
            if (!option.startsWith("-X") && !option.startsWith("-D")) {
                throw new IllegalArgumentException("mcu.mixer.process.options takes -X and -D options only: " + option);
            }
        }
    }
}
