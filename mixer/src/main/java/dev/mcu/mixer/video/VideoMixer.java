package dev.mcu.mixer.video;

import dev.mcu.mixer.clock.MediaClock;
import dev.onvoid.webrtc.media.video.NativeI420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The room's video clock work: each tick, one composite per distinct view, pushed to every viewer
 * of that view (participants, and the room's recordings and live streams). Plans are rebuilt only when the roster or the active speaker changes.
 */
public final class VideoMixer implements MediaClock.Tickable {

    private final Supplier<VideoRoster> roster;
    private final Supplier<String> activeSpeaker;
    private final int clockFps;
    private final Compositor compositor;
    private final List<ViewPlan> plans = new ArrayList<>();
    private long plannedVersion = -1;
    private String plannedSpeaker;
    private volatile long composites;
    private final FailureLog failures = new FailureLog("composite");

    public VideoMixer(Supplier<VideoRoster> roster, Supplier<String> activeSpeaker, int clockFps, int maxWidth) {
        this.roster = roster;
        this.activeSpeaker = activeSpeaker;
        this.clockFps = clockFps;
        this.compositor = new Compositor(maxWidth);
    }

    @Override
    public void tick(long tickIndex, long deadlineNanos) {
        VideoRoster snapshot = roster.get();
        List<? extends VideoFeed> feeds = snapshot.feeds();
        compositor.refreshInputs(feeds);
        String speaker = activeSpeaker.get();
        if (snapshot.version() != plannedVersion || !Objects.equals(speaker, plannedSpeaker)) {
            replan(snapshot, speaker);
        }
        long timestampNs = System.nanoTime();
        for (ViewPlan plan : plans) {
            if (tickIndex % plan.key.fpsDivisor() != 0 || !anyReceiving(plan.viewers)) {
                continue;
            }
            try {
                composeAndSend(plan, feeds, timestampNs);
            } catch (RuntimeException e) {
                failures.failed(plan.key, e);
            }
        }
        compositor.endTick();
    }

    /** One view's composite, pushed to each of its viewers; a failure here leaves the other views alone. */
    private void composeAndSend(ViewPlan plan, List<? extends VideoFeed> feeds, long timestampNs) {
        NativeI420Buffer buffer = NativeI420Buffer.allocate(plan.key.width(), plan.key.height());
        VideoFrame frame = new VideoFrame(buffer, timestampNs);
        try {
            compositor.compose(plan, buffer, feeds);
            composites++;
            for (CompositeSink viewer : plan.viewers) {
                if (viewer.receivingVideo()) {
                    try {
                        viewer.sendVideo(frame);
                    } catch (RuntimeException e) {
                        failures.failed(viewer.id(), e);
                    }
                }
            }
        } finally {
            // Each pushed frame holds its own native reference; this drops the clock's.
            frame.release();
        }
    }

    /** Composites that failed, over every view (each distinct failure is logged once). */
    public long failures() {
        return failures.count();
    }

    /** Composites produced so far (for metrics and tests). */
    public long composites() {
        return composites;
    }

    @Override
    public void stopped() {
        compositor.close();
        plans.clear();
        plannedVersion = -1;
    }

    private void replan(VideoRoster snapshot, String speaker) {
        List<? extends VideoFeed> feeds = snapshot.feeds();
        Map<ViewPlan.Key, ViewPlan> byKey = new LinkedHashMap<>();
        List<String> everyone = new ArrayList<>(feeds.size());
        for (VideoFeed feed : feeds) {
            everyone.add(feed.id());
        }
        for (VideoFeed viewer : feeds) {
            planSafely(viewer, speaker, everyone, feeds, byKey);
        }
        for (CompositeSink tap : snapshot.taps()) {
            planSafely(tap, speaker, everyone, feeds, byKey);
        }
        plans.clear();
        plans.addAll(byKey.values());
        plannedVersion = snapshot.version();
        plannedSpeaker = speaker;
    }

    private void planSafely(CompositeSink viewer, String speaker, List<String> everyone,
                            List<? extends VideoFeed> feeds, Map<ViewPlan.Key, ViewPlan> byKey) {
        try {
            plan(viewer, speaker, everyone, feeds, byKey);
        } catch (RuntimeException e) {
            failures.failed(viewer.id(), e); // This viewer gets no composite; the others do.
        }
    }

    private void plan(CompositeSink viewer, String speaker, List<String> everyone, List<? extends VideoFeed> feeds,
                      Map<ViewPlan.Key, ViewPlan> byKey) {
        ViewSpec spec = viewer.view();
        String stage = switch (spec.layout()) {
            case PRESENTATION -> spec.pin() != null && everyone.contains(spec.pin()) ? spec.pin()
                    : speaker;
            case SPEAKER -> speaker;
            default -> null;
        };
        // A participant is hidden from itself unless it asks; a recording shows everyone.
        String excluded = spec.includeSelf() || !(viewer instanceof VideoFeed) ? null : viewer.id();
        if (stage != null && stage.equals(excluded)) {
            stage = null;
        }
        int divisor = Math.max(1, Math.round((float) clockFps / spec.fps()));
        ViewPlan.Key key = new ViewPlan.Key(spec.layout(), spec.width(), spec.height(), divisor, stage, excluded);
        ViewPlan plan = byKey.get(key);
        if (plan == null) {
            List<String> shown = new ArrayList<>(everyone);
            if (excluded != null) {
                shown.remove(excluded);
            }
            plan = ViewPlan.create(key, TileLayout.compute(spec.layout(), spec.width(), spec.height(), shown, stage),
                    feeds);
            byKey.put(key, plan);
        }
        plan.viewers.add(viewer);
    }

    private static boolean anyReceiving(List<CompositeSink> viewers) {
        for (CompositeSink viewer : viewers) {
            if (viewer.receivingVideo()) {
                return true;
            }
        }
        return false;
    }
}
