package dev.mcu.mixer.room;

import dev.mcu.events.concurrent.SerialExecutor;
import dev.mcu.mixer.bandwidth.Ladder;
import dev.mcu.mixer.bandwidth.Tier;
import dev.mcu.mixer.peer.SendStats;
import dev.mcu.mixer.video.ViewSpec;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Automatic bandwidth tiers of one room's video viewers and audio-only listeners: once a second
 * each one's peer is asked for its send statistics; the answer, on the room's event executor, feeds
 * its {@link dev.mcu.mixer.bandwidth.TierPolicy}. When a viewer's tier changes, the room redraws its
 * composite at the new size and the peer's encoder and Opus limits follow; for both, the mix's
 * frame length follows and the client hears its new tier ({@code view-changed}), so that its
 * upload follows too. Also what the metrics read: viewers per tier, their estimates, changes up and down.
 */
public final class ViewerTiers {

    private static final System.Logger LOG = System.getLogger(ViewerTiers.class.getName());
    /** How often each viewer's bandwidth estimate is read. */
    private static final long SAMPLE_MS = 1_000;

    private final String roomId;
    private final Supplier<List<Participant>> members;
    private final SerialExecutor events;
    /** Puts a viewer on a tier in the room; returns its new view, or null when it has left. */
    private final BiFunction<Participant, Tier, ViewSpec> retier;
    private final RoomListener listener;
    private final AtomicLong up = new AtomicLong();
    private final AtomicLong down = new AtomicLong();
    private final AtomicLong trials = new AtomicLong();
    private volatile ScheduledFuture<?> sampling;

    ViewerTiers(String roomId, Supplier<List<Participant>> members, SerialExecutor events,
                BiFunction<Participant, Tier, ViewSpec> retier, RoomListener listener) {
        this.roomId = roomId;
        this.members = members;
        this.events = events;
        this.retier = retier;
        this.listener = listener;
    }

    void start(ScheduledExecutorService timer) {
        sampling = timer.scheduleWithFixedDelay(this::sample, SAMPLE_MS, SAMPLE_MS, TimeUnit.MILLISECONDS);
    }

    void stop() {
        ScheduledFuture<?> s = sampling;
        if (s != null) {
            s.cancel(false);
        }
    }

    /** Video viewers on each tier now (audio-only listeners have tiers of their own, not counted). */
    public Map<Tier, Integer> byTier() {
        Map<Tier, Integer> counts = new EnumMap<>(Tier.class);
        for (Participant p : members.get()) {
            if (p.receivingVideo()) {
                counts.merge(p.tier(), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** The latest bandwidth estimates of the video viewers, in kbit/s. */
    public List<Double> estimates() {
        List<Double> out = new ArrayList<>();
        for (Participant p : members.get()) {
            double kbps = p.sendStats().estimateKbps();
            if (p.receivingVideo() && kbps > 0) {
                out.add(kbps);
            }
        }
        return out;
    }

    /** Tier changes so far, up or down, of viewers and audio-only listeners. */
    public long changes(boolean towardsFull) {
        return towardsFull ? up.get() : down.get();
    }

    /** Trials of a higher tier begun out of the smallest (see TierPolicy), held or not. */
    public long trials() {
        return trials.get();
    }

    /** On the timer: asks each viewer's and listener's peer for its statistics; the answers go to {@link #adapt}. */
    private void sample() {
        try {
            for (Participant p : members.get()) {
                if (p.receivingVideo() || p.listensOnly()) {
                    p.peer().sendStats().thenAccept(stats -> events.execute(() -> adapt(p, stats)));
                }
            }
        } catch (Throwable e) {
            LOG.log(Level.WARNING, "room " + roomId + ": bandwidth sampling failed", e);
        }
    }

    private void adapt(Participant p, SendStats stats) {
        p.sendStats(stats);
        Tier from = p.tier();
        boolean wasTrying = p.tiers().trying();
        Tier next = p.tiers().sample(stats.estimateKbps(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime()));
        if (next == from) {
            if (p.tiers().trying() != wasTrying) {
                trial(p, !wasTrying, stats.estimateKbps());
            }
            return;
        }
        ViewSpec view = retier.apply(p, next);
        if (view == null) {
            return;
        }
        Ladder ladder = p.ladder();
        if (ladder == Ladder.VIDEO) {
            p.peer().limitVideo(view.bitrateKbps(), view.fps(), next.minVideoKbps());
        }
        if (ladder.audioKbps(from) != ladder.audioKbps(next)) {
            p.peer().limitAudio(ladder.audioKbps(next));
        }
        if (from.audioFrameMs() != next.audioFrameMs()) {
            p.peer().audioFrameLength(next.audioFrameMs()).exceptionally(e -> {
                LOG.log(Level.WARNING, "room " + roomId + ": participant " + p.id() + " keeps its audio frames", e);
                return null;
            });
        }
        (next.ordinal() < from.ordinal() ? up : down).incrementAndGet();
        if (p.listensOnly()) {
            LOG.log(Level.INFO, "room {0}: audio-only participant {1} moves from tier {2} to {3} at {4} kbit/s",
                    roomId, p.id(), from.label(), next.label(), Math.round(stats.estimateKbps()));
        } else {
            LOG.log(Level.INFO, "room {0}: participant {1} moves from tier {2} to {3} at {4} kbit/s: {5}x{6}@{7}",
                    roomId, p.id(), from.label(), next.label(), Math.round(stats.estimateKbps()), view.width(),
                    view.height(), view.fps());
        }
        listener.viewChanged(p.id(), view, p.requested(), next);
    }

    /**
     * A trial out of the smallest tier begins or ends: the encoder's ceiling rises to what the
     * next tier would send (never above what the viewer asked for), or returns to the tier's.
     * A trial that holds ends in a tier change instead, which sets the new tier's limits.
     */
    private void trial(Participant p, boolean begins, double estimateKbps) {
        Tier tier = p.tier();
        p.peer().limitVideo(p.videoCeilingKbps(), p.view().fps(), tier.minVideoKbps());
        if (begins) {
            trials.incrementAndGet();
        }
        LOG.log(Level.INFO, "room {0}: participant {1} {2} a trial of tier {3} at {4} kbit/s",
                roomId, p.id(), begins ? "begins" : "ends", tier.up().label(), Math.round(estimateKbps));
    }
}
