package dev.mcu.mixer.record;

import dev.mcu.events.signal.Layout;
import dev.mcu.events.state.RecordingState;
import dev.mcu.mixer.room.ParticipantInfo;
import dev.mcu.mixer.video.ViewSpec;
import dev.onvoid.webrtc.media.video.NativeI420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The segment writer on its own, fed as the clocks would feed it (stamps on the clocks' time line,
 * without waiting for them): the file decodes with FFmpeg to the right length, pictures and tone.
 */
class SegmentRecorderTest {

    private static final int W = 320;
    private static final int H = 180;
    private static final int FPS = 15;

    @TempDir
    Path dir;

    @org.junit.jupiter.api.BeforeAll
    static void loadWebrtc() throws ClassNotFoundException {
        Class.forName("dev.onvoid.webrtc.PeerConnectionFactory"); // its static block loads the native library
    }

    @Test
    void aSegmentDecodesToItsPicturesAndToneForItsDuration() throws Exception {
        ViewSpec view = new ViewSpec(Layout.GRID, W, H, FPS, 300, false, null);
        SegmentRecorder segment = new SegmentRecorder("rec1", "room1", 1, "worker-1", dir, view, 0).start();
        segment.joined(new ParticipantInfo("p1", "Ada", false, false, System.currentTimeMillis()));
        long t0 = System.nanoTime();
        int seconds = 3;
        feed(segment, t0, seconds);
        segment.left("p1");
        SegmentRecorder.Progress done = segment.stop().get(30, TimeUnit.SECONDS);

        assertEquals(RecordingState.COMPLETE, done.state(), String.valueOf(done.error()));
        assertEquals(0, done.dropped(), "the writer kept up");
        assertNull(done.error());
        Path file = dir.resolve("segment-0001.webm");
        assertTrue(Files.size(file) > 1000, "the file holds media");
        assertEquals(Files.size(file), done.bytes());
        String manifest = Files.readString(dir.resolve("segment-0001.json"));
        assertTrue(manifest.contains("\"name\":\"Ada\"") && manifest.contains("\"leftAtMs\":1"), manifest);
        assertTrue(manifest.contains("\"codec\":\"vp8\"") && manifest.contains("\"codec\":\"opus\""), manifest);

        Decoded d = decode(file);
        assertEquals(seconds * 1000, d.durationMs, 200, "duration");
        assertEquals(seconds * FPS, d.frames, 3, "frames");
        assertTrue(d.brightFrames > 0 && d.darkFrames > 0, "both halves' pictures: " + d.brightFrames + "/" + d.darkFrames);
        assertTrue(d.toneRatio > 100, "the 440 Hz tone dominates the audio: " + d.toneRatio);
    }

    @Test
    void aFileWhoseWriterDiesMidwayIsStillReadable() throws Exception {
        ViewSpec view = new ViewSpec(Layout.GRID, W, H, FPS, 300, false, null);
        SegmentRecorder segment = new SegmentRecorder("rec2", "room1", 1, "worker-1", dir, view, 0).start();
        long t0 = System.nanoTime();
        feed(segment, t0, 3);
        // What a process killed now leaves behind: the bytes so far, no trailer, no index.
        Path file = dir.resolve("segment-0001.webm");
        assertTrue(waitForSize(file, 10_000), "the writer has written clusters: " + Files.size(file));
        Thread.sleep(1500); // it has caught up with the 3 s fed; the last cluster may still be open
        Path cut = dir.resolve("cut.webm");
        Files.copy(file, cut);
        segment.stop().get(30, TimeUnit.SECONDS);
        Decoded d = decode(cut);
        assertTrue(d.frames > FPS, "a cut file decodes, all but its last second at most: " + d.frames + " frames");
        assertTrue(d.audioSamples > 48_000, "and its audio: " + d.audioSamples);
    }

    @Test
    void tooLittleFreeSpaceRefusesToStart() {
        ViewSpec view = new ViewSpec(Layout.GRID, W, H, FPS, 300, false, null);
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> new SegmentRecorder("rec3", "room1", 1, "w", dir, view, Long.MAX_VALUE));
        assertTrue(e.getMessage().contains("free"), e.getMessage());
    }

    /** Composites (bright first half, dark second) and a 440 Hz tone, stamped as the clocks would. */
    private static void feed(SegmentRecorder segment, long t0, int seconds) {
        long audioTicks = seconds * 100L;
        double phase = 0;
        byte[] pcm = new byte[960];
        for (long k = 0; k < audioTicks; k++) {
            long now = t0 + k * 10_000_000L;
            java.util.concurrent.locks.LockSupport.parkNanos(now - System.nanoTime()); // at the clocks' pace
            for (int i = 0; i < 480; i++) {
                short s = (short) (8000 * Math.sin(phase));
                phase += 2 * Math.PI * 440 / 48_000;
                pcm[2 * i] = (byte) s;
                pcm[2 * i + 1] = (byte) (s >> 8);
            }
            segment.sendMix(pcm, now);
            if (k % (100 / FPS) == 0 && k / (100.0 / FPS) < seconds * FPS) {
                long frameAt = t0 + Math.round(k / (100.0 / FPS)) * 1_000_000_000L / FPS;
                NativeI420Buffer b = NativeI420Buffer.allocate(W, H);
                fill(b, k < audioTicks / 2 ? 200 : 40);
                VideoFrame f = new VideoFrame(b, frameAt);
                segment.sendVideo(f);
                f.release();
            }
        }
    }

    private static void fill(NativeI420Buffer b, int luma) {
        ByteBuffer y = b.getDataY();
        for (int i = 0; i < b.getStrideY() * H; i++) {
            y.put(i, (byte) luma);
        }
        ByteBuffer u = b.getDataU();
        ByteBuffer v = b.getDataV();
        for (int i = 0; i < b.getStrideU() * H / 2; i++) {
            u.put(i, (byte) 128);
        }
        for (int i = 0; i < b.getStrideV() * H / 2; i++) {
            v.put(i, (byte) 128);
        }
    }

    private static boolean waitForSize(Path file, long bytes) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            try {
                if (Files.size(file) >= bytes) {
                    return true;
                }
            } catch (java.io.IOException ignored) {
                // not there yet
            }
            Thread.sleep(50);
        }
        return false;
    }

    private record Decoded(long durationMs, int frames, int brightFrames, int darkFrames, long audioSamples,
                           double toneRatio) {
    }

    /** Decodes every frame; measures the luma of the pictures and the 440 Hz share of the sound. */
    static Decoded decode(Path file) throws Exception {
        int frames = 0;
        int bright = 0;
        int dark = 0;
        long samples = 0;
        double tone = 0;
        double off = 0;
        long lastUs = 0;
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.setSampleMode(FFmpegFrameGrabber.SampleMode.SHORT);
            g.setSampleRate(48_000);
            g.setAudioChannels(1);
            g.start();
            Frame f;
            while ((f = g.grab()) != null) {
                lastUs = Math.max(lastUs, f.timestamp);
                if (f.image != null) {
                    frames++;
                    ByteBuffer img = (ByteBuffer) f.image[0];
                    int luma = lumaNearCentre(img, f.imageStride, f.imageWidth, f.imageHeight, f.imageChannels);
                    if (luma > 150) {
                        bright++;
                    } else if (luma < 90) {
                        dark++;
                    }
                }
                if (f.samples != null) {
                    ShortBuffer s = (ShortBuffer) f.samples[0];
                    short[] chunk = new short[s.remaining()];
                    s.get(chunk);
                    samples += chunk.length;
                    tone += goertzel(chunk, 440);
                    off += goertzel(chunk, 1000);
                }
            }
        }
        return new Decoded(lastUs / 1000, frames, bright, dark, samples, tone / Math.max(1e-9, off));
    }

    private static int lumaNearCentre(ByteBuffer img, int stride, int w, int h, int channels) {
        // The grabber gives BGR by default; a grey picture has B = G = R = luma (full range aside).
        int at = (h / 2) * stride + (w / 2) * channels;
        return img.get(at + 1) & 0xff;
    }

    static double goertzel(short[] x, double freq) {
        double k = 2 * Math.cos(2 * Math.PI * freq / 48_000);
        double s1 = 0;
        double s2 = 0;
        for (short v : x) {
            double s0 = v + k * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        return s1 * s1 + s2 * s2 - k * s1 * s2;
    }
}
