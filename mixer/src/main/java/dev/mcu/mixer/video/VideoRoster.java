package dev.mcu.mixer.video;

import java.util.List;

/**
 * A consistent snapshot of a room's members for the video clock. {@code version} changes whenever
 * membership, a name, a mute state or a view changes, so plans are rebuilt only then.
 */
public record VideoRoster(long version, List<? extends VideoFeed> feeds) {
}
