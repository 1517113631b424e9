package dev.mcu.mixer.room;

import dev.mcu.mixer.peer.MixerPeer;
import dev.mcu.mixer.peer.ReceiveDelays;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * How far a room's sound lags its pictures, measured once a second while the room has a tap (a
 * recording or a live stream), so that what the taps write stays in sync when the inbound jitter
 * buffers grow (a loaded machine, a jittery network). A participant's lag is how much longer its
 * sound waited in libwebrtc's jitter buffer than its pictures did over the last second
 * ({@link ReceiveDelays}); the room's is the median over its participants, handed to every tap.
 * Costs nothing in a room without taps.
 */
final class AudioLag {

    private static final System.Logger LOG = System.getLogger(AudioLag.class.getName());

    private final String roomId;
    private final Supplier<List<Participant>> members;
    private final Supplier<List<RoomTap>> taps;
    /** Each participant's previous reading; written on libwebrtc's stats threads. */
    private final Map<String, ReceiveDelays> previous = new ConcurrentHashMap<>();
    private ScheduledFuture<?> task;

    AudioLag(String roomId, Supplier<List<Participant>> members, Supplier<List<RoomTap>> taps) {
        this.roomId = roomId;
        this.members = members;
        this.taps = taps;
    }

    synchronized void start(ScheduledExecutorService timer) {
        if (task == null) {
            task = timer.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
        }
    }

    synchronized void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    private void sample() {
        try {
            if (taps.get().isEmpty()) {
                previous.clear();
                return;
            }
            List<CompletableFuture<Double>> lags = new ArrayList<>();
            for (Participant p : members.get()) {
                MixerPeer peer = p.peer();
                if (peer != null) {
                    lags.add(peer.receiveDelays().thenApply(now -> {
                        ReceiveDelays before = previous.put(p.id(), now);
                        return before == null ? Double.NaN : now.audioLagMsSince(before);
                    }));
                }
            }
            previous.keySet().retainAll(members.get().stream().map(Participant::id).toList());
            CompletableFuture.allOf(lags.toArray(CompletableFuture[]::new)).thenRun(() -> publish(lags));
        } catch (Throwable e) {
            LOG.log(Level.WARNING, "room " + roomId + ": measuring the audio's lag failed", e);
        }
    }

    private void publish(List<CompletableFuture<Double>> lags) {
        try {
            List<Double> known = new ArrayList<>();
            for (CompletableFuture<Double> f : lags) {
                double ms = f.getNow(Double.NaN);
                if (!Double.isNaN(ms)) {
                    known.add(ms);
                }
            }
            if (known.isEmpty()) {
                return;
            }
            known.sort(null);
            double median = known.get(known.size() / 2);
            for (RoomTap tap : taps.get()) {
                tap.audioLag(median);
            }
        } catch (Throwable e) {
            LOG.log(Level.WARNING, "room " + roomId + ": publishing the audio's lag failed", e);
        }
    }
}
