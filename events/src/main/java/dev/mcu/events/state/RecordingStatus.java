package dev.mcu.events.state;

import java.util.ArrayList;
import java.util.List;

/**
 * How a recording (or live stream) stands, on the compacted topic
 * {@link dev.mcu.events.Topics#RECORDING_STATUS} (key: its id). The worker hosting the room writes
 * it; the control plane writes it only for a recording no worker holds (its room is empty).
 *
 * @param segments      the files written so far, in order: one per stay of the room on a worker
 * @param droppedFrames composites and audio chunks the writer could not keep up with, over all segments
 * @param error         why it failed, or null
 */
public record RecordingStatus(String id, String room, RecordingState state, Long startedAtMs, Long endedAtMs,
                              long durationMs, long bytes, List<Segment> segments, long droppedFrames, String error,
                              String workerId) {

    /**
     * One file of a recording.
     *
     * @param index 1, 2, ... in the order they were written
     * @param file  its name in the recording's directory
     */
    public record Segment(int index, String file, String workerId, long startedAtMs, Long endedAtMs, long durationMs,
                          long bytes, long droppedFrames) {
    }

    public RecordingStatus {
        segments = List.copyOf(segments == null ? List.of() : segments);
    }

    public static RecordingStatus starting(String id, String room) {
        return new RecordingStatus(id, room, RecordingState.STARTING, null, null, 0, 0, List.of(), 0, null, null);
    }

    /** With this segment added, or put in place of the one with its index. */
    public RecordingStatus withSegment(Segment segment, RecordingState newState, String worker) {
        List<Segment> next = new ArrayList<>(segments);
        next.removeIf(s -> s.index() == segment.index());
        next.add(segment);
        next.sort(java.util.Comparator.comparingInt(Segment::index));
        long duration = next.stream().mapToLong(Segment::durationMs).sum();
        long total = next.stream().mapToLong(Segment::bytes).sum();
        long dropped = next.stream().mapToLong(Segment::droppedFrames).sum();
        Long started = startedAtMs != null ? startedAtMs : Long.valueOf(next.get(0).startedAtMs());
        return new RecordingStatus(id, room, newState, started, endedAtMs, duration, total, next, dropped, error, worker);
    }

    /** A live stream's progress (it has no segments). */
    public RecordingStatus streaming(RecordingState newState, long firstStartedAtMs, long duration, long dropped,
                                     String worker) {
        Long started = startedAtMs != null ? startedAtMs : Long.valueOf(firstStartedAtMs);
        return new RecordingStatus(id, room, newState, started, endedAtMs, duration, bytes, segments, dropped, error,
                worker);
    }

    public RecordingStatus ended(RecordingState end, long nowMs, String why) {
        return new RecordingStatus(id, room, end, startedAtMs, nowMs, durationMs, bytes, segments, droppedFrames,
                why, workerId);
    }

    public RecordingStatus in(RecordingState newState) {
        return new RecordingStatus(id, room, newState, startedAtMs, endedAtMs, durationMs, bytes, segments,
                droppedFrames, error, workerId);
    }

    /** The next segment's index. */
    public int nextSegment() {
        return segments.stream().mapToInt(Segment::index).max().orElse(0) + 1;
    }
}
