package dev.mcu.bench;

import dev.mcu.bench.synthetic.LocalRoom;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.mixer.MixerConfig;
import dev.mcu.mixer.peer.PeerFactory;
import dev.mcu.mixer.peer.PeerFactoryPool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Simultaneous joins: k clients, each with a libwebrtc factory of its own (k browsers), join a room
 * where two participants already talk, all at once; each one's time from the start to its first
 * mixed frame. Runs with a libwebrtc factory per participant on the mixer (the design before) and
 * then with the product's one factory for the room's peers, side by side in one process.
 */
final class JoinBurstBench {

    private JoinBurstBench() {
    }

    static void main(String[] args) throws Exception {
        int k = BenchMain.intArg(args, 0, 8, 1, 32, "joiners");
        int rounds = BenchMain.intArg(args, 1, 3, 1, 20, "rounds");
        for (boolean shared : new boolean[] {false, true}) {
            List<Long> all = new ArrayList<>();
            List<Long> lastPerRound = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                long[] ms = burst(k, shared);
                for (long m : ms) {
                    all.add(m);
                }
                lastPerRound.add(ms[ms.length - 1]);
            }
            all.sort(null);
            lastPerRound.sort(null);
            System.out.printf(Locale.ROOT, "joinBurst factories=%s joiners=%d rounds=%d p50Ms=%d p95Ms=%d"
                            + " lastJoinerP50Ms=%d%n", shared ? "per-room" : "per-participant", k, rounds,
                    JoinTimeBench.percentile(toArray(all), 50), JoinTimeBench.percentile(toArray(all), 95),
                    lastPerRound.get(lastPerRound.size() / 2));
        }
        System.out.println("reproduce: bin/bench burst " + k + " " + rounds);
    }

    /** One burst; the joiners' times to their first mixed frame, sorted. */
    private static long[] burst(int k, boolean sharedFactory) throws Exception {
        System.setProperty(PeerFactoryPool.PER_PARTICIPANT_PROPERTY, String.valueOf(!sharedFactory));
        List<PeerFactory> browsers = new ArrayList<>();
        ExecutorService starts = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().factory());
        try (LocalRoom room = new LocalRoom(MixerConfig.defaults())) {
            System.clearProperty(PeerFactoryPool.PER_PARTICIPANT_PROPERTY);
            room.join("resident0", room.defaultView(), SyntheticParticipant.Options.flat(0));
            room.join("resident1", room.defaultView(), SyntheticParticipant.Options.flat(1));
            for (int i = 0; i < k; i++) {
                browsers.add(new PeerFactory(0, 0));
            }
            Thread.sleep(1000);
            long t0 = System.nanoTime();
            List<CompletableFuture<Long>> times = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                int index = i;
                times.add(CompletableFuture.supplyAsync(() -> joinAndWait(room, index, browsers.get(index), t0),
                        starts));
            }
            long[] ms = new long[k];
            for (int i = 0; i < k; i++) {
                ms[i] = times.get(i).get(60, TimeUnit.SECONDS);
            }
            Arrays.sort(ms);
            return ms;
        } finally {
            System.clearProperty(PeerFactoryPool.PER_PARTICIPANT_PROPERTY);
            starts.shutdown();
            browsers.forEach(PeerFactory::close);
        }
    }

    private static long joinAndWait(LocalRoom room, int i, PeerFactory browser, long t0) {
        try {
            SyntheticParticipant p = room.join("joiner" + i, room.defaultView(),
                    SyntheticParticipant.Options.flat(2 + i % 6), browser);
            while (p.video().frames() == 0) {
                if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(30)) {
                    throw new IllegalStateException("joiner " + i + ": no mixed frame within 30 s");
                }
                Thread.sleep(1);
            }
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        } catch (Exception e) {
            throw new IllegalStateException("joiner " + i + " failed", e);
        }
    }

    private static long[] toArray(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).toArray();
    }
}
