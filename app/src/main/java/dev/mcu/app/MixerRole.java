package dev.mcu.app;

import dev.mcu.events.Ids;
import dev.mcu.events.bus.KafkaBus;
import dev.mcu.mixer.room.Mixer;
import dev.mcu.mixer.worker.MixerWorker;

import java.util.ArrayList;
import java.util.List;

/** The mixer role: this process's workers, each with its own libwebrtc factory and command topic. */
final class MixerRole implements AutoCloseable {

    static final int DRAIN_SECONDS = 30;

    private final List<MixerWorker> workers = new ArrayList<>();
    private final List<AutoCloseable> parts = new ArrayList<>();

    /** One run of a worker: its id, and this run's instance (a fresh one unless a supervisor gave it). */
    record Run(String workerId, String instance) {

        static List<Run> fresh(List<String> workerIds) {
            return workerIds.stream().map(id -> new Run(id, Ids.random("i"))).toList();
        }
    }

    MixerRole(AppSettings settings, KafkaBus bus, List<Run> runs) {
        try {
            for (Run run : runs) {
                Mixer mixer = new Mixer(settings.mixer());
                parts.add(mixer);
                MixerWorker worker = new MixerWorker(run.workerId(), run.instance(), mixer, bus, settings.iceServers(),
                        settings.workerCapacity());
                parts.add(worker);
                workers.add(worker.start());
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    List<MixerWorker> workers() {
        return List.copyOf(workers);
    }

    /**
     * Drains first: workers with rooms stop taking new ones and wait (up to {@value #DRAIN_SECONDS} s)
     * for signaling to move their participants to other workers; then the workers stop (no more
     * commands) and their mixers release every peer. SIGTERM on a mixer process lands here.
     */
    @Override
    public void close() {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
        for (MixerWorker w : workers) {
            if (!w.mixer().rooms().isEmpty() && w.heartbeat() != null) {
                w.heartbeat().drain();
            }
        }
        while (workers.stream().anyMatch(w -> !w.mixer().rooms().isEmpty()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                System.getLogger(MixerRole.class.getName()).log(System.Logger.Level.WARNING, "stopping failed", e);
            }
        }
    }
}
