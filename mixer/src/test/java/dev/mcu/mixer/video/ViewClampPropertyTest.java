package dev.mcu.mixer.video;

import dev.mcu.events.signal.Layout;
import dev.mcu.events.state.VideoSettings;
import dev.mcu.mixer.MixerConfig;
import dev.mcu.mixer.peer.PeerFactory;
import dev.onvoid.webrtc.media.video.NativeI420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever numbers a client puts in a view, the effective view is one the media path can honour,
 * and composing it never fails: every tile and picture stays inside the frame.
 */
class ViewClampPropertyTest {

    private static final MixerConfig CONFIG = MixerConfig.defaults();
    private static PeerFactory natives;

    @BeforeContainer
    static void loadNatives() {
        natives = new PeerFactory(0, 0); // loads libwebrtc, as a running worker has
    }

    @AfterContainer
    static void releaseNatives() {
        natives.close();
    }

    @Provide
    Arbitrary<Integer> anyNumber() {
        return Arbitraries.oneOf(Arbitraries.integers(), Arbitraries.integers().between(-4, 4000),
                Arbitraries.of(Integer.MIN_VALUE, -1, 0, 1, 2, 15, 16, 17, 89, 90, 159, 161, 1279, 1281,
                        Integer.MAX_VALUE)).injectNull(0.2);
    }

    @Provide
    Arbitrary<VideoSettings> roomVideo() {
        return Arbitraries.integers().between(160, 1920).flatMap(w -> Arbitraries.integers().between(90, 1080)
                .flatMap(h -> Arbitraries.integers().between(1, 60).map(f -> new VideoSettings(w, h, f))))
                .injectNull(0.3);
    }

    @Property(tries = 2000)
    void everyEffectiveViewIsInsideTheLimits(@ForAll("anyNumber") Integer w, @ForAll("anyNumber") Integer h,
                                             @ForAll("anyNumber") Integer fps, @ForAll("anyNumber") Integer kbps,
                                             @ForAll("roomVideo") VideoSettings room) {
        ViewSpec v = ViewSpec.clamped(CONFIG, Layout.GRID, w, h, fps, kbps, null, null).within(room);
        int maxW = room == null ? CONFIG.maxWidth() : Math.max(ViewSpec.MIN_WIDTH, Math.min(CONFIG.maxWidth(), room.width()));
        int maxH = room == null ? CONFIG.maxHeight() : Math.max(ViewSpec.MIN_HEIGHT, Math.min(CONFIG.maxHeight(), room.height()));
        int maxFps = room == null ? CONFIG.videoFps() : Math.min(CONFIG.videoFps(), room.fps());
        assertTrue(v.width() >= ViewSpec.MIN_WIDTH && v.width() <= maxW, "width " + v.width());
        assertTrue(v.height() >= ViewSpec.MIN_HEIGHT && v.height() <= maxH, "height " + v.height());
        assertEquals(0, v.width() % 2);
        assertEquals(0, v.height() % 2);
        assertTrue(v.fps() >= 1 && v.fps() <= maxFps, "fps " + v.fps());
        assertTrue(v.bitrateKbps() >= ViewSpec.MIN_BITRATE_KBPS && v.bitrateKbps() <= CONFIG.maxBitrateKbps());
    }

    @Property(tries = 300)
    void tilesAndPicturesStayInsideTheFrame(@ForAll @IntRange(min = 160, max = 1280) int width,
                                            @ForAll @IntRange(min = 90, max = 720) int height,
                                            @ForAll @IntRange(min = 1, max = 100) int participants,
                                            @ForAll Layout layout,
                                            @ForAll @IntRange(min = 2, max = 1920) int srcW,
                                            @ForAll @IntRange(min = 2, max = 1080) int srcH) {
        if (layout == Layout.UNKNOWN) {
            return;
        }
        int w = width & ~1;
        int h = height & ~1;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < participants; i++) {
            ids.add("p" + i);
        }
        for (Tile t : TileLayout.compute(layout, w, h, ids, "p0")) {
            assertTrue(t.x() >= 0 && t.y() >= 0 && t.x() + t.width() <= w && t.y() + t.height() <= h, t.toString());
            if (t.width() >= Compositor.MIN_PICTURE_WIDTH && t.height() >= Compositor.MIN_PICTURE_HEIGHT) {
                int[] r = Compositor.pictureRect(srcW, srcH, t);
                assertTrue(r[0] >= t.x() && r[1] >= t.y() && r[0] + r[2] <= t.x() + t.width()
                        && r[1] + r[3] <= t.y() + t.height(), "picture " + java.util.Arrays.toString(r) + " in " + t);
            }
        }
    }

    /** A crowded room in the smallest view: every participant sends a picture, the composite is made. */
    @Property(tries = 25)
    void theSmallestViewOfACrowdedRoomComposes(@ForAll @IntRange(min = 1, max = 100) int participants,
                                               @ForAll Layout layout) {
        if (layout == Layout.UNKNOWN) {
            return;
        }
        ViewSpec view = new ViewSpec(layout, ViewSpec.MIN_WIDTH, ViewSpec.MIN_HEIGHT, 30, 100, true, null);
        List<FakeFeed> feeds = new ArrayList<>();
        for (int i = 0; i < participants; i++) {
            feeds.add(new FakeFeed("p" + i, view));
        }
        VideoMixer mixer = new VideoMixer(() -> new VideoRoster(1, feeds), () -> "p0", 30, CONFIG.maxWidth());
        try {
            for (FakeFeed f : feeds) {
                f.frames().offer(new VideoFrame(NativeI420Buffer.allocate(640, 360), 0));
            }
            mixer.tick(0, 0);
            assertEquals(0, mixer.failures());
            assertEquals(1, mixer.composites());
            assertTrue(feeds.stream().allMatch(f -> f.received == 1));
        } finally {
            mixer.stopped();
            feeds.forEach(f -> f.frames().close());
        }
    }

    private static final class FakeFeed implements VideoFeed {
        private final String id;
        private final ViewSpec view;
        private final FrameSlot slot = new FrameSlot();
        int received;

        FakeFeed(String id, ViewSpec view) {
            this.id = id;
            this.view = view;
        }

        @Override public String id() { return id; }
        @Override public String name() { return "Participant " + id; }
        @Override public boolean videoMuted() { return false; }
        @Override public FrameSlot frames() { return slot; }
        @Override public ViewSpec view() { return view; }
        @Override public boolean receivingVideo() { return true; }
        @Override public void sendVideo(VideoFrame composite) { received++; }
    }
}
