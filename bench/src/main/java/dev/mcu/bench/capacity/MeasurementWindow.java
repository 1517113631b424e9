package dev.mcu.bench.capacity;

import dev.mcu.bench.analysis.ReceivedVideo;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The measured window of a capacity child process: warm up, reset the latency probes, tell the
 * parent ("measuring") so it starts reading CPU, wait, then the lowest frame rate and the median
 * latency over the receivers. Floor and participants processes measure alike.
 */
record MeasurementWindow(double minFps, long p50LatencyMs) {

    static MeasurementWindow measure(List<LongSupplier> frameCounts, List<ReceivedVideo> videos, StreamArgs streams)
            throws InterruptedException {
        int n = frameCounts.size();
        Thread.sleep(streams.warmupSeconds() * 1000L);
        long[] frames0 = new long[n];
        for (int i = 0; i < n; i++) {
            frames0[i] = frameCounts.get(i).getAsLong();
            videos.get(i).resetLatency();
        }
        long t0 = System.nanoTime();
        System.out.println("measuring");
        System.out.flush();
        Thread.sleep(streams.seconds() * 1000L);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        double minFps = Double.MAX_VALUE;
        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            minFps = Math.min(minFps, (frameCounts.get(i).getAsLong() - frames0[i]) / elapsed);
            latencies.add(videos.get(i).medianLatencyMs());
        }
        latencies.sort(null);
        return new MeasurementWindow(minFps, latencies.get(n / 2));
    }
}
