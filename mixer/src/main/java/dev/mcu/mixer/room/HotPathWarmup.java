package dev.mcu.mixer.room;

import dev.mcu.events.signal.Layout;
import dev.mcu.mixer.audio.AudioFeed;
import dev.mcu.mixer.audio.AudioMixer;
import dev.mcu.mixer.audio.AudioRoster;
import dev.mcu.mixer.audio.JitterQueue;
import dev.mcu.mixer.audio.SpeakerDetector;
import dev.mcu.mixer.video.FrameSlot;
import dev.mcu.mixer.video.VideoFeed;
import dev.mcu.mixer.video.VideoMixer;
import dev.mcu.mixer.video.VideoRoster;
import dev.mcu.mixer.video.ViewSpec;
import dev.onvoid.webrtc.media.video.NativeI420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the per-tick code of the video and audio clocks on made-up participants for a moment, before
 * a worker takes its first room: in a cold JVM that code is interpreted, and a first room (or one
 * that just failed over to a fresh worker) would get a slow composite until the JIT caught up.
 * Four participants in grid, speaker and small views, with fresh camera frames every tick; nothing
 * leaves the process. Needs libwebrtc loaded (a factory made) for its frame buffers.
 */
public final class HotPathWarmup {

    private static final int PARTICIPANTS = 4;

    private HotPathWarmup() {
    }

    /** Runs for about this long, or this many ticks of each clock, whichever comes first. */
    public static void run(long millis, int maxTicks) {
        List<Feed> feeds = new ArrayList<>();
        List<VideoFrame> cameras = new ArrayList<>();
        List<ViewSpec> views = List.of(new ViewSpec(Layout.GRID, 640, 360, 30, 800, false, null),
                new ViewSpec(Layout.SPEAKER, 480, 270, 30, 600, false, null),
                new ViewSpec(Layout.GRID, 320, 180, 15, 150, false, null),
                new ViewSpec(Layout.PRESENTATION, 640, 360, 30, 800, false, "w0"));
        for (int i = 0; i < PARTICIPANTS; i++) {
            feeds.add(new Feed("w" + i, views.get(i), 300 + 170 * i));
            NativeI420Buffer buffer = NativeI420Buffer.allocate(640, 360);
            fill(buffer, i);
            cameras.add(new VideoFrame(buffer, 0));
        }
        VideoRoster videoRoster = new VideoRoster(1, feeds);
        AudioRoster audioRoster = new AudioRoster(1, feeds);
        VideoMixer video = new VideoMixer(() -> videoRoster, () -> "w0", 30, 1920);
        AudioMixer audio = new AudioMixer(() -> audioRoster, 3, new SpeakerDetector(1000, id -> { }));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try {
            for (int tick = 0; tick < maxTicks && System.nanoTime() < deadline; tick++) {
                for (int i = 0; i < PARTICIPANTS; i++) {
                    VideoFrame frame = cameras.get(i);
                    frame.retain(); // the slot's reference, released when the next frame replaces it
                    feeds.get(i).slot.offer(frame);
                    feeds.get(i).refill();
                }
                video.tick(tick, 0);
                audio.tick(tick, tick * 10_000_000L);
            }
        } finally {
            video.stopped();
            audio.stopped();
            feeds.forEach(f -> f.slot.close());
            cameras.forEach(VideoFrame::release);
        }
    }

    private static void fill(NativeI420Buffer buffer, int index) {
        java.nio.ByteBuffer y = buffer.getDataY();
        java.nio.ByteBuffer u = buffer.getDataU();
        java.nio.ByteBuffer v = buffer.getDataV();
        for (int i = 0; i < y.capacity(); i++) {
            y.put(i, (byte) (40 + 50 * index + (i % 640) / 20));
        }
        for (int i = 0; i < u.capacity(); i++) {
            u.put(i, (byte) (90 + 30 * index));
        }
        for (int i = 0; i < v.capacity(); i++) {
            v.put(i, (byte) (200 - 30 * index));
        }
    }

    /** A made-up participant: a camera, a tone, a view, and a sink for what it would be sent. */
    private static final class Feed implements VideoFeed, AudioFeed {
        final String id;
        final FrameSlot slot = new FrameSlot();
        final ViewSpec view;
        final JitterQueue queue = new JitterQueue(8);
        final short[] tone = new short[480];

        Feed(String id, ViewSpec view, int frequency) {
            this.id = id;
            this.view = view;
            for (int i = 0; i < tone.length; i++) {
                tone[i] = (short) (3000 * Math.sin(2 * Math.PI * frequency * i / 48_000.0));
            }
        }

        void refill() {
            short[] chunk = queue.claim();
            if (chunk != null) {
                System.arraycopy(tone, 0, chunk, 0, Math.min(tone.length, chunk.length));
                queue.publish();
            }
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String name() {
            return "Warm-up " + id;
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
            // Nowhere to send it: only the composing counts.
        }

        @Override
        public boolean audioMuted() {
            return false;
        }

        @Override
        public JitterQueue audioQueue() {
            return queue;
        }

        @Override
        public boolean receivingAudio() {
            return true;
        }

        @Override
        public void sendAudio(byte[] pcm) {
            // Nowhere to send it.
        }
    }
}
