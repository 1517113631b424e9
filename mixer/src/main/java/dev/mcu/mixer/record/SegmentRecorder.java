package dev.mcu.mixer.record;

import dev.mcu.events.Json;
import dev.mcu.events.state.RecordingState;
import dev.mcu.mixer.audio.AudioFormat;
import dev.mcu.mixer.room.ParticipantInfo;
import dev.mcu.mixer.video.ViewSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One segment of a recording: what a room's stay on this worker writes into one file. Attached to
 * the room as a tap, it copies composites and the full mix off the clocks ({@link RecordingTap}),
 * encodes them on its own thread ({@link SegmentWriter}) and keeps the manifest beside the file.
 */
public final class SegmentRecorder extends TappedOutput {

    private static final System.Logger LOG = System.getLogger(SegmentRecorder.class.getName());

    /** Where it stands; read by the worker's recordings loop. */
    public record Progress(RecordingState state, long startedAtMs, Long endedAtMs, long durationMs, long bytes,
                           long dropped, String error) {
    }

    private final String recording;
    private final String room;
    private final int index;
    private final String workerId;
    private final Path media;
    private final Path manifest;
    private final SegmentWriter writer;
    /** When the segment started: once media flows, the wall-clock time of the file's time zero. */
    private volatile long startedAtMs = System.currentTimeMillis();
    private final Map<String, SegmentManifest.Presence> presence = new LinkedHashMap<>();
    private volatile RecordingState state = RecordingState.STARTING;
    private volatile long bytes;
    private volatile long durationMs;
    private volatile Long endedAtMs;
    private volatile String error;
    private long manifestWrittenAtMs;
    /** Someone came or went since the manifest was last written. */
    private volatile boolean presenceChanged;

    /**
     * @param directory    the recording's directory (made if missing)
     * @param minFreeBytes below this much free space the segment does not start, or stops as failed
     */
    public SegmentRecorder(String recording, String room, int index, String workerId, Path directory, ViewSpec view,
                           long minFreeBytes) throws IOException {
        super(new RecordingTap(recording + "-" + index, view));
        this.recording = recording;
        this.room = room;
        this.index = index;
        this.workerId = workerId;
        Files.createDirectories(directory);
        String base = String.format(java.util.Locale.ROOT, "segment-%04d", index);
        this.media = directory.resolve(base + ".webm");
        this.manifest = directory.resolve(base + ".json");
        long free = Files.getFileStore(directory).getUsableSpace();
        if (free < minFreeBytes) {
            throw new IOException("the recordings directory has " + (free >> 20) + " MiB free, less than the "
                    + (minFreeBytes >> 20) + " MiB a recording needs");
        }
        this.writer = new SegmentWriter(tap, media.toString(), Encoding.WEBM, () -> usableSpace(directory), minFreeBytes,
                new WriterEvents());
    }

    /** Starts the encoder thread; attach the recorder to its room once {@link #started} (nothing is dropped then). */
    public SegmentRecorder start() {
        writeManifest();
        writer.start();
        return this;
    }

    public String file() {
        return media.getFileName().toString();
    }

    public int index() {
        return index;
    }

    public String recording() {
        return recording;
    }

    public Progress progress() {
        return new Progress(state, startedAtMs, endedAtMs, durationMs, bytes, tap.dropped(), error);
    }

    @Override
    public void joined(ParticipantInfo p) {
        synchronized (presence) {
            presence.put(p.id(), new SegmentManifest.Presence(p.id(), p.name(), p.joinedAtMs(), null));
        }
        presenceChanged = true;
    }

    @Override
    public void left(String participantId) {
        synchronized (presence) {
            SegmentManifest.Presence p = presence.get(participantId);
            if (p != null && p.leftAtMs() == null) {
                presence.put(participantId, new SegmentManifest.Presence(p.id(), p.name(), p.joinedAtMs(),
                        System.currentTimeMillis()));
            }
        }
        presenceChanged = true;
    }

    private static long usableSpace(Path directory) {
        try {
            return Files.getFileStore(directory).getUsableSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Writes the manifest beside the file, replacing the previous one at once (never half-written). */
    private synchronized void writeManifest() {
        List<SegmentManifest.Presence> who;
        synchronized (presence) {
            who = new ArrayList<>(presence.values());
        }
        SegmentManifest m = new SegmentManifest(recording, room, index, file(), workerId, startedAtMs, endedAtMs,
                durationMs, bytes, tap.dropped(),
                new SegmentManifest.Video("vp8", tap.view().layout(), tap.view().width(), tap.view().height(),
                        tap.view().fps()),
                new SegmentManifest.Audio("opus", AudioFormat.SAMPLE_RATE, 1), who);
        try {
            Path next = manifest.resolveSibling(manifest.getFileName() + ".tmp");
            Files.writeString(next, Json.write(m));
            Files.move(next, manifest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            manifestWrittenAtMs = System.currentTimeMillis();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "manifest of " + media + " not written", e);
        }
    }

    private final class WriterEvents implements SegmentWriter.Events {
        @Override
        public void started() {
            state = RecordingState.ACTIVE;
            started.complete(null);
        }

        @Override
        public void timeZero(long wallMs) {
            startedAtMs = wallMs;
        }

        @Override
        public void progress(long written, long duration) {
            bytes = written;
            durationMs = duration;
            // Written by the writer thread only: on arrivals and departures, and every few seconds.
            if (presenceChanged || System.currentTimeMillis() - manifestWrittenAtMs >= 5_000) {
                presenceChanged = false;
                writeManifest();
            }
        }

        @Override
        public void ended(long written, long duration, String failure) {
            tap.shut();
            bytes = written;
            durationMs = duration;
            endedAtMs = System.currentTimeMillis();
            error = failure;
            state = failure == null ? RecordingState.COMPLETE : RecordingState.FAILED;
            if (failure != null) {
                LOG.log(System.Logger.Level.WARNING, "recording {0} segment {1} failed: {2}", recording, index, failure);
            }
            writeManifest();
            ended.complete(SegmentRecorder.this.progress());
        }
    }
}
