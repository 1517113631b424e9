package dev.mcu.mixer.video;

import java.util.List;

/**
 * A consistent snapshot of a room's members for the video clock. {@code version} changes whenever
 * membership, a name, a mute state, a view or the taps change, so plans are rebuilt only then.
 *
 * @param taps viewers that are not participants: the room's recordings and live streams
 */
public record VideoRoster(long version, List<? extends VideoFeed> feeds, List<? extends CompositeSink> taps) {

    public VideoRoster(long version, List<? extends VideoFeed> feeds) {
        this(version, feeds, List.of());
    }
}
