package dev.mcu.bench.capacity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The capacity curve of one mixer worker process: for each view size, one room of N participants
 * from N = 2 upward until any viewer's composite falls below {@link #TARGET_FPS} (or N reaches the
 * cap). Every point is measured as {@link CapacityBench} measures a case, the codec floor and the
 * mixer alternating in the same round. Prints one line per point, then the marginal cost of each
 * added participant so that a reader sees where growth stops being linear.
 *
 * <p>Usage: capacity curve [rounds] [seconds] [warmupSeconds] [codec] [maxParticipants].
 */
final class CapacityCurve {

    static final double TARGET_FPS = 27;

    /** The view sizes of the issue, each at the bitrate the participants send it with. */
    private static final List<CapacityBench.Case> VIEWS = List.of(new CapacityBench.Case(0, 640, 360, 30, 800),
            new CapacityBench.Case(0, 320, 180, 30, 300));

    private CapacityCurve() {
    }

    static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        String codec = args.length > 3 ? args[3] : "H264";
        int max = args.length > 4 ? Integer.parseInt(args[4]) : 24;
        for (CapacityBench.Case view : VIEWS) {
            List<double[]> points = new ArrayList<>(); // {n, mixerCores, floorCores}
            for (int n = 2; n <= max; n = next(n)) {
                CapacityBench.Case c = new CapacityBench.Case(n, view.width(), view.height(), view.fps(), view.kbps());
                CapacityBench.Summary s = CapacityBench.measure(c, rounds, seconds, warmup, codec, "", null, null);
                points.add(new double[] {n, s.mixerCores(), s.floorCores()});
                System.out.printf(Locale.ROOT,
                        "curve view=%dx%d n=%d mixerCores=%.3f coresPerParticipant=%.4f floorCores=%.3f floorRatio=%.3f"
                                + " minFps=%.1f floorMinFps=%.1f p50LatencyMs=%.0f codec=%s%n",
                        view.width(), view.height(), n, s.mixerCores(), s.mixerCores() / n, s.floorCores(),
                        s.floorRatio(), s.minFps(), s.floorMinFps(), s.p50LatencyMs(), s.mixerCodec());
                if (!(s.minFps() >= TARGET_FPS)) {
                    System.out.printf(Locale.ROOT, "curve view=%dx%d ends at n=%d: a viewer fell below %.0f fps%n",
                            view.width(), view.height(), n, TARGET_FPS);
                    break;
                }
            }
            for (int i = 1; i < points.size(); i++) {
                double[] a = points.get(i - 1);
                double[] b = points.get(i);
                System.out.printf(Locale.ROOT, "marginal view=%dx%d n=%.0f->%.0f mixerCoresPerAdded=%.4f"
                                + " floorCoresPerAdded=%.4f%n", view.width(), view.height(), a[0], b[0],
                        (b[1] - a[1]) / (b[0] - a[0]), (b[2] - a[2]) / (b[0] - a[0]));
            }
        }
        System.out.printf("reproduce: bin/bench capacity curve %d %d %d %s %d%n", rounds, seconds, warmup, codec, max);
    }

    /** 2, 3, 4, then every second size: the small rooms are the common ones, the large ones find the end. */
    private static int next(int n) {
        return n < 4 ? n + 1 : n + 2;
    }
}
