package dev.mcu.app;

import dev.mcu.events.bus.KafkaBus;
import dev.mcu.mixer.room.Mixer;
import dev.mcu.mixer.worker.MixerWorker;

import java.util.ArrayList;
import java.util.List;

/** The mixer role: this process's workers, each with its own libwebrtc factory and command topic. */
final class MixerRole implements AutoCloseable {

    private final List<MixerWorker> workers = new ArrayList<>();
    private final List<AutoCloseable> parts = new ArrayList<>();

    MixerRole(AppSettings settings, KafkaBus bus) {
        try {
            for (String id : settings.workerIds()) {
                Mixer mixer = new Mixer(settings.mixer());
                parts.add(mixer);
                MixerWorker worker = new MixerWorker(id, mixer, bus, List.of(), settings.workerCapacity());
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

    /** Workers first (no more commands), then their mixers (peers released). */
    @Override
    public void close() {
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                System.getLogger(MixerRole.class.getName()).log(System.Logger.Level.WARNING, "stopping failed", e);
            }
        }
    }
}
