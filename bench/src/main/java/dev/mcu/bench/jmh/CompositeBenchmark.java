package dev.mcu.bench.jmh;

import dev.mcu.bench.synthetic.Palette;
import dev.mcu.bench.synthetic.SyntheticContent;
import dev.mcu.events.signal.Layout;
import dev.mcu.mixer.peer.PeerFactory;
import dev.mcu.mixer.video.FrameSlot;
import dev.mcu.mixer.video.VideoFeed;
import dev.mcu.mixer.video.VideoMixer;
import dev.mcu.mixer.video.VideoRoster;
import dev.mcu.mixer.video.ViewSpec;
import dev.onvoid.webrtc.media.video.NativeI420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One video clock tick of a room whose viewers share a 1280x720 grid of nine 640x360 cameras:
 * every camera shows a new frame each tick, so all nine are scaled, copied and labelled, and the
 * composite is handed to the viewers. Encoding is not included (libwebrtc's cost, measured by the
 * capacity bench).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class CompositeBenchmark {

    @Param({"9"})
    int inputs;

    @Param({"1280x720"})
    String output;

    /** true: every camera shows a new frame each tick (all scaled); false: unchanged pictures (copies only). */
    @Param({"true"})
    boolean freshFrames;

    /** libyuv (the product) or swscale (its fallback), side by side. */
    @Param({"libyuv", "swscale"})
    String scaler;

    private final List<Feed> feeds = new ArrayList<>();
    private final List<VideoFrame> sources = new ArrayList<>();
    private VideoMixer mixer;
    private PeerFactory natives;
    private long tick;

    /** A participant whose camera frame is offered afresh every tick. */
    static final class Feed implements VideoFeed {
        final String id;
        final FrameSlot slot = new FrameSlot();
        final ViewSpec view;
        long pushed;

        Feed(String id, ViewSpec view) {
            this.id = id;
            this.view = view;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String name() {
            return "Participant " + id;
        }

        @Override
        public boolean videoMuted() {
            return false;
        }

        @Override
        public FrameSlot frames() {
            return slot;
        }

        @Override
        public ViewSpec view() {
            return view;
        }

        @Override
        public boolean receivingVideo() {
            return true;
        }

        @Override
        public void sendVideo(VideoFrame composite) {
            pushed++;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        natives = new PeerFactory(0, 0); // loads libwebrtc, as a running worker has
        System.setProperty("mcu.bench.scaler", scaler); // LibyuvScaler.SCALER_PROPERTY
        String[] size = output.split("x");
        ViewSpec view = new ViewSpec(Layout.GRID, Integer.parseInt(size[0]), Integer.parseInt(size[1]), 30, 2000,
                true, null);
        for (int i = 0; i < inputs; i++) {
            feeds.add(new Feed("p" + i, view));
            SyntheticContent content = SyntheticContent.cameraLike(Palette.colour(i), 640, 360, i);
            NativeI420Buffer buffer = NativeI420Buffer.allocate(640, 360);
            content.fill(buffer, 0);
            sources.add(new VideoFrame(buffer, 0));
        }
        VideoRoster roster = new VideoRoster(1, feeds);
        mixer = new VideoMixer(() -> roster, () -> null, 30, 1920);
    }

    @Benchmark
    public long compositeTick() {
        for (int i = 0; (freshFrames || tick == 0) && i < inputs; i++) {
            VideoFrame frame = sources.get(i);
            frame.retain(); // the slot's reference, released by the compositor when replaced
            feeds.get(i).slot.offer(frame);
        }
        mixer.tick(tick++, 0);
        return mixer.composites();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        mixer.stopped();
        for (Feed feed : feeds) {
            feed.slot.close();
        }
        sources.forEach(VideoFrame::release);
        natives.close();
    }
}
