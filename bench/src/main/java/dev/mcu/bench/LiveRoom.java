package dev.mcu.bench;

import dev.mcu.bench.synthetic.LocalRoom;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.mixer.MixerConfig;

import java.util.List;
import java.util.Locale;

/**
 * A live room of synthetic participants in one process, printed once a second: what each one
 * receives (size, frame rate, latency through the mixer) and hears (the level of every tone).
 */
final class LiveRoom {

    private LiveRoom() {
    }

    static void main(String[] args) throws Exception {
        int n = BenchMain.intArg(args, 0, 4, 2, 8, "participants");
        int seconds = BenchMain.intArg(args, 1, 30, 1, 86_400, "seconds");
        try (LocalRoom room = new LocalRoom(MixerConfig.defaults())) {
            List<SyntheticParticipant> ps = room.joinCameras(n);
            System.out.printf("room of %d synthetic participants, codec %s; Ctrl-C to stop%n", n,
                    room.room.videoCodec("p0"));
            long[] lastFrames = new long[n];
            for (int s = 0; s < seconds; s++) {
                Thread.sleep(1000);
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "t=%3ds", s + 1));
                for (int i = 0; i < n; i++) {
                    SyntheticParticipant p = ps.get(i);
                    long frames = p.video().frames();
                    line.append(String.format(Locale.ROOT, " | p%d %dx%d %2dfps %3dms", i, p.video().width(),
                            p.video().height(), frames - lastFrames[i], p.video().medianLatencyMs()));
                    lastFrames[i] = frames;
                    for (SyntheticParticipant other : ps) {
                        line.append(String.format(Locale.ROOT, " %s%.0f", other == p ? "own" : "",
                                p.audio().toneDb(other.tone(), 500)));
                    }
                }
                System.out.println(line);
            }
        }
    }
}
