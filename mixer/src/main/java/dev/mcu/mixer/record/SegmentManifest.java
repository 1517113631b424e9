package dev.mcu.mixer.record;

import dev.mcu.events.signal.Layout;

import java.util.List;

/**
 * The JSON file beside each segment: what it holds and who was in it when. Written when the
 * segment starts, within a second of anyone coming or going, every few seconds while it runs, and
 * when it ends, so a worker that dies leaves one that is at most a few seconds old.
 *
 * @param startedAtMs the wall-clock time of the file's time zero (its first picture or sound)
 * @param endedAtMs null while the segment is being written (or if its worker died)
 */
public record SegmentManifest(String recording, String room, int segment, String file, String workerId,
                              long startedAtMs, Long endedAtMs, long durationMs, long bytes, long droppedFrames,
                              Video video, Audio audio, List<Presence> participants) {

    public record Video(String codec, Layout layout, int width, int height, int fps) {
    }

    public record Audio(String codec, int sampleRate, int channels) {
    }

    /** @param leftAtMs null while the participant is still in the room */
    public record Presence(String id, String name, long joinedAtMs, Long leftAtMs) {
    }
}
