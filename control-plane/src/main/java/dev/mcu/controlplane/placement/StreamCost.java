package dev.mcu.controlplane.placement;

import dev.mcu.events.state.VideoSettings;

/**
 * The cost model: an outbound stream costs in proportion to the pixels per second it encodes, in
 * units of one 640x360 stream at 30 fps. A 720p stream costs 4, a 180p stream 0.25: encoding
 * dominates a mixer's CPU and grows with the pixel rate (docs/PERFORMANCE.md, capacity).
 */
public final class StreamCost {

    private static final double UNIT = 640.0 * 360 * 30;

    private StreamCost() {
    }

    public static double of(VideoSettings video) {
        return video.width() * (double) video.height() * video.fps() / UNIT;
    }

    /** What a new room is expected to cost: its expected participants, each one outbound stream. */
    public static double room(VideoSettings video, int maxParticipants, int expectedParticipants) {
        return of(video) * Math.min(maxParticipants, expectedParticipants);
    }
}
