package dev.mcu.bench;

import dev.mcu.controlplane.placement.Scheduler;
import dev.mcu.controlplane.placement.StreamCost;
import dev.mcu.events.state.VideoSettings;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Placing 10,000 rooms on 500 simulated workers: the whole run (heartbeat updates every 100
 * placements included) per round, median over rounds, and a check that no worker ends above its
 * capacity. Rooms mix 180p, 360p and 720p composites; workers differ in capacity and start loaded.
 */
final class SchedulerBench {

    private SchedulerBench() {
    }

    public static void main(String[] args) {
        int rounds = BenchMain.intArg(args, 0, 20, 1, 1000, "rounds");
        int rooms = BenchMain.intArg(args, 1, 10_000, 1, 10_000_000, "rooms");
        int workers = BenchMain.intArg(args, 2, 500, 1, 100_000, "workers");
        VideoSettings[] sizes = {new VideoSettings(320, 180, 30), VideoSettings.DEFAULT, new VideoSettings(1280, 720, 30)};
        long[] ns = new long[rounds];
        int worstRefused = 0;
        double worstOver = 0;
        for (int round = -5; round < rounds; round++) {
            SplittableRandom random = new SplittableRandom(round + 1000);
            double[] capacity = new double[workers];
            double[] load = new double[workers];
            for (int w = 0; w < workers; w++) {
                capacity[w] = 100 + random.nextInt(41);
                load[w] = random.nextInt(10);
            }
            double[] costs = new double[rooms];
            for (int r = 0; r < rooms; r++) {
                int pick = random.nextInt(100);
                VideoSettings size = pick < 25 ? sizes[0] : pick < 85 ? sizes[1] : sizes[2];
                costs[r] = StreamCost.room(size, 16, 4);
            }
            Map<String, Integer> index = new HashMap<>();
            for (int w = 0; w < workers; w++) {
                index.put("w" + w, w);
            }
            double[] placed = new double[workers];
            int refused = 0;
            long t0 = System.nanoTime();
            Scheduler scheduler = new Scheduler();
            scheduler.update(candidates(workers, capacity, load, placed));
            for (int r = 0; r < rooms; r++) {
                if (r % 100 == 0 && r > 0) {
                    // A heartbeat round: workers now report what they were given.
                    scheduler.update(candidates(workers, capacity, load, placed));
                }
                Optional<String> w = scheduler.place(costs[r]);
                if (w.isPresent()) {
                    placed[index.get(w.get())] += costs[r];
                } else {
                    refused++;
                }
            }
            long elapsed = System.nanoTime() - t0;
            if (round >= 0) {
                ns[round] = elapsed;
                worstRefused = Math.max(worstRefused, refused);
                for (int w = 0; w < workers; w++) {
                    worstOver = Math.max(worstOver, load[w] + placed[w] - capacity[w]);
                }
            }
        }
        long[] sorted = ns.clone();
        Arrays.sort(sorted);
        System.out.printf("scheduler rooms=%d workers=%d rounds=%d medianMs=%.1f maxMs=%.1f refused=%d"
                        + " maxOverCapacity=%.2f%n", rooms, workers, rounds, sorted[rounds / 2] / 1e6,
                sorted[rounds - 1] / 1e6, worstRefused, Math.max(0, worstOver));
        System.out.println("reproduce: bin/bench scheduler " + rounds + " " + rooms + " " + workers);
    }

    private static List<Scheduler.Candidate> candidates(int workers, double[] capacity, double[] load, double[] placed) {
        List<Scheduler.Candidate> list = new ArrayList<>(workers);
        for (int w = 0; w < workers; w++) {
            list.add(new Scheduler.Candidate("w" + w, true, capacity[w], load[w] + placed[w]));
        }
        return list;
    }
}
