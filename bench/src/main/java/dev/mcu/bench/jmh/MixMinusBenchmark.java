package dev.mcu.bench.jmh;

import dev.mcu.mixer.audio.AudioFeed;
import dev.mcu.mixer.audio.AudioMixer;
import dev.mcu.mixer.audio.AudioRoster;
import dev.mcu.mixer.audio.JitterQueue;
import dev.mcu.mixer.audio.SpeakerDetector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One 10 ms audio tick of a room of N talkers: levels, loudest-3 selection, the sum, every
 * listener's mix-minus through its limiter, and active speaker detection. Pushing into libwebrtc
 * is not included (a native copy per listener).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class MixMinusBenchmark {

    @Param({"50"})
    int participants;

    private AudioMixer mixer;
    private final List<Talker> talkers = new ArrayList<>();
    private long tick;

    /** A talker whose queue is refilled by publishing chunks that already hold its tone. */
    static final class Talker implements AudioFeed {
        final String id;
        final JitterQueue queue = new JitterQueue(8);
        long sent;

        Talker(String id, int frequency, int amplitude) {
            this.id = id;
            double phase = 0;
            for (int k = 0; k < 8; k++) {
                short[] chunk = queue.claim();
                for (int i = 0; i < chunk.length; i++) {
                    chunk[i] = (short) (amplitude * Math.sin(phase));
                    phase += 2 * Math.PI * frequency / 48_000.0;
                }
                queue.publish();
            }
        }

        void refill() {
            if (queue.claim() != null) {
                queue.publish();
            }
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public boolean audioMuted() {
            return false;
        }

        @Override
        public JitterQueue audioQueue() {
            return queue;
        }

        @Override
        public boolean receivingAudio() {
            return true;
        }

        @Override
        public void sendAudio(byte[] pcm) {
            sent += pcm[0];
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        for (int i = 0; i < participants; i++) {
            talkers.add(new Talker("p" + i, 200 + 37 * i, 500 + 300 * (i % 20)));
        }
        AudioRoster roster = new AudioRoster(1, talkers);
        mixer = new AudioMixer(() -> roster, 3, new SpeakerDetector(1000, id -> { }));
    }

    @Benchmark
    public long mixTick() {
        for (Talker t : talkers) {
            t.refill();
        }
        mixer.tick(tick, tick * 10_000_000L);
        tick++;
        return mixer.ticks();
    }
}
