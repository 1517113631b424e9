package dev.mcu.mixer.record;

import dev.mcu.mixer.audio.AudioFormat;
import dev.mcu.mixer.video.ViewSpec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

import java.io.IOException;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * Encodes a tap's media with FFmpeg (through JavaCV) on a thread of its own, into a file or a
 * stream ({@link Encoding}): for a recording VP8 and Opus in WebM, a Matroska file that stays
 * readable up to its last cluster if the process dies. Both streams are stamped by the clocks'
 * time since the first item, so they stay in sync across dropped items and pauses: a gap in the
 * audio is filled with silence, a gap in the video holds the last picture. It ends when the tap is
 * shut and drained, or on the first error; the owner decides what follows.
 */
final class SegmentWriter {

    /** What the writer reports to its owner, from its own thread. */
    interface Events {
        /** The encoder is open and the file's header is written. */
        void started();

        /** The wall-clock time of the media's time zero (its first picture or chunk), once known. */
        default void timeZero(long wallMs) {
        }

        /** Written so far (about once a second). */
        void progress(long bytes, long durationMs);

        /** The file is closed: complete, or failed with a reason. */
        void ended(long bytes, long durationMs, String failure);
    }

    /**
     * The sound is placed earlier than it was mixed by the time it spent in the inbound jitter
     * buffers beyond what a decoded picture spends there (libwebrtc's NetEq, then the room's queue):
     * the room's measured lag ({@link RecordingTap#audioLagMs()}, the jitter buffers' excess, which
     * grows on a loaded machine or a jittery network) plus {@link #AUDIO_BEYOND_LAG_NANOS}, or
     * {@link #AUDIO_ADVANCE_NANOS} until the lag is known. Measured in the file:
     * docs/PERFORMANCE.md, "Recording". The first part of a segment's sound falls before its start
     * and is left out.
     */
    static final long AUDIO_ADVANCE_NANOS = 100_000_000L;
    /** What the sound's path adds to the measured lag: the room's queue, less the picture's wait for a tick. */
    static final long AUDIO_BEYOND_LAG_NANOS = 25_000_000L;
    private static final long MAX_ADVANCE_NANOS = 1_000_000_000L;

    /**
     * How far the sound may drift from its place before it is moved: a gap (clocks stopped, chunks
     * dropped, a smaller lag) is filled with silence, a lead (a larger lag) dropped.
     */
    private static final long AUDIO_SLACK_SAMPLES = AudioFormat.SAMPLE_RATE * 3 / 100;
    private static final short[] SILENCE = new short[AudioFormat.CHUNK_SAMPLES];

    private final RecordingTap tap;
    private final String target;
    private final Path file;
    private final Encoding encoding;
    private final ViewSpec view;
    /** Time zero of the segment: the stamp of the first item the clocks gave. */
    private long startNanos = Long.MIN_VALUE;
    private final LongSupplier freeBytes;
    private final long minFreeBytes;
    private final Events events;
    private final Thread thread;
    private long lastFrame = -1;
    private long samplesWritten;

    /**
     * @param target    the file, or the stream's URL
     * @param freeBytes free space where the file is; below {@code minFreeBytes} the segment fails
     */
    SegmentWriter(RecordingTap tap, String target, Encoding encoding, LongSupplier freeBytes, long minFreeBytes,
                  Events events) {
        this.tap = tap;
        this.target = target;
        this.file = encoding.toFile() ? Path.of(target) : null;
        this.encoding = encoding;
        this.view = tap.view();
        this.freeBytes = freeBytes;
        this.minFreeBytes = minFreeBytes;
        this.events = events;
        this.thread = Thread.ofPlatform().name("recording-" + tap.id()).daemon().unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Waits for the file to be closed (after {@link RecordingTap#shut}). */
    boolean await(long millis) throws InterruptedException {
        thread.join(millis);
        return !thread.isAlive();
    }

    /** Writes until the tap is shut and drained, or the first error; on the caller's thread. */
    void run() {
        String failure = null;
        FFmpegFrameRecorder recorder = null;
        try {
            recorder = open();
            events.started();
            long nextReport = System.nanoTime() + 1_000_000_000L;
            while (true) {
                Object item = tap.next(100);
                if (item == null) {
                    if (!tap.isOpen()) {
                        break;
                    }
                } else {
                    try {
                        write(recorder, item);
                    } finally {
                        tap.recycle(item);
                    }
                }
                if (System.nanoTime() >= nextReport) {
                    nextReport += 1_000_000_000L;
                    if (file != null && freeBytes.getAsLong() < minFreeBytes) {
                        throw new IOException("the recordings directory has less than " + (minFreeBytes >> 20)
                                + " MiB free");
                    }
                    events.progress(size(), durationMs());
                }
            }
        } catch (InterruptedException e) {
            failure = "interrupted";
        } catch (Exception | LinkageError e) {
            failure = e.getClass().getSimpleName() + ": " + e.getMessage();
        } finally {
            failure = close(recorder, failure);
            drain();
            events.ended(size(), durationMs(), failure);
        }
    }

    private FFmpegFrameRecorder open() throws FFmpegFrameRecorder.Exception {
        FFmpegFrameRecorder r = new FFmpegFrameRecorder(target, view.width(), view.height(), 1);
        r.setFormat(encoding.format());
        r.setVideoCodecName(encoding.videoCodec());
        r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        r.setFrameRate(view.fps());
        r.setGopSize(view.fps() * 2);
        r.setVideoBitrate(view.bitrateKbps() * 1000);
        encoding.videoOptions().forEach(r::setVideoOption);
        r.setAudioCodecName(encoding.audioCodec());
        r.setSampleRate(AudioFormat.SAMPLE_RATE);
        r.setAudioChannels(1);
        r.setAudioBitrate(encoding.audioBitrate());
        encoding.formatOptions().forEach(r::setOption);
        try {
            r.start();
            return r;
        } catch (FFmpegFrameRecorder.Exception | RuntimeException e) {
            releaseQuietly(r);
            throw e;
        }
    }

    private void write(FFmpegFrameRecorder r, Object item) throws FFmpegFrameRecorder.Exception {
        if (startNanos == Long.MIN_VALUE) {
            startNanos = item instanceof RecordingTap.Picture p ? p.nanos : ((RecordingTap.Chunk) item).nanos;
            events.timeZero(System.currentTimeMillis() - (System.nanoTime() - startNanos) / 1_000_000);
        }
        if (item instanceof RecordingTap.Picture p) {
            long frame = Math.round((p.nanos - startNanos) * view.fps() / 1e9);
            if (frame <= lastFrame || frame < 0) {
                return; // two composites for one frame interval: keep the first
            }
            r.setFrameNumber((int) frame);
            r.recordImage(view.width(), view.height(), Frame.DEPTH_UBYTE, 1, view.width(), avutil.AV_PIX_FMT_YUV420P,
                    p.i420);
            lastFrame = frame;
        } else if (item instanceof RecordingTap.Chunk c) {
            long due = (c.nanos - audioAdvanceNanos() - startNanos) * AudioFormat.SAMPLE_RATE / 1_000_000_000L;
            if (due < -c.samples.length / 2) {
                return; // before the segment's start once advanced
            }
            if (samplesWritten - due > AUDIO_SLACK_SAMPLES) {
                return; // the sound runs late (the lag grew): this chunk goes, the next ones catch up
            }
            while (due - samplesWritten > AUDIO_SLACK_SAMPLES) {
                r.recordSamples(AudioFormat.SAMPLE_RATE, 1, ShortBuffer.wrap(SILENCE));
                samplesWritten += SILENCE.length;
            }
            r.recordSamples(AudioFormat.SAMPLE_RATE, 1, ShortBuffer.wrap(c.samples));
            samplesWritten += c.samples.length;
        }
    }

    private long audioAdvanceNanos() {
        double lagMs = tap.audioLagMs();
        if (Double.isNaN(lagMs)) {
            return AUDIO_ADVANCE_NANOS;
        }
        long advance = Math.round(lagMs * 1_000_000) + AUDIO_BEYOND_LAG_NANOS;
        return Math.max(0, Math.min(MAX_ADVANCE_NANOS, advance));
    }

    /** Writes the trailer and frees the encoder exactly once; returns the failure, if any. */
    private static String close(FFmpegFrameRecorder r, String failure) {
        if (r == null) {
            return failure;
        }
        try {
            r.stop();
        } catch (Exception | LinkageError e) {
            failure = failure != null ? failure : "closing the file failed: " + e.getMessage();
        } finally {
            releaseQuietly(r);
        }
        return failure;
    }

    private static void releaseQuietly(FFmpegFrameRecorder r) {
        try {
            r.release();
        } catch (Exception | LinkageError e) {
            // Nothing more to free.
        }
    }

    /** Gives back what was still queued when the writer stopped. */
    private void drain() {
        try {
            Object item;
            while ((item = tap.next(0)) != null) {
                tap.recycle(item);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long durationMs() {
        long videoMs = lastFrame < 0 ? 0 : (lastFrame + 1) * 1000 / view.fps();
        long audioMs = samplesWritten * 1000 / AudioFormat.SAMPLE_RATE;
        return Math.max(videoMs, audioMs);
    }

    private long size() {
        if (file == null) {
            return 0; // a stream: what went out is not counted
        }
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
