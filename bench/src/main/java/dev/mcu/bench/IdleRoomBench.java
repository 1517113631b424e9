package dev.mcu.bench;

import dev.mcu.bench.synthetic.LocalRoom;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.mixer.MixerConfig;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * CPU of a mixer whose room has emptied: after one participant joins and leaves, the room's clocks
 * must stop, so the process uses (almost) no CPU. Prints the process CPU over the idle window as a
 * share of one core, and the live thread count.
 */
final class IdleRoomBench {

    private IdleRoomBench() {
    }

    static void main(String[] args) throws Exception {
        int seconds = BenchMain.intArg(args, 0, 10, 1, 600, "seconds");
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (LocalRoom room = new LocalRoom(MixerConfig.defaults())) {
            room.join("p0", room.defaultView(), SyntheticParticipant.Options.flat(0));
            Thread.sleep(1000);
            room.leave("p0");
            Thread.sleep(500);
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            double cores = (double) (os.getProcessCpuTime() - cpu0) / (System.nanoTime() - t0);
            System.out.printf(Locale.ROOT, "idle: clocksRunning=%s processCpuCores=%.4f threads=%d seconds=%d%n",
                    room.room.clocksRunning(), cores, Thread.activeCount(), seconds);
        }
    }
}
