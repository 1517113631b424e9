package dev.mcu.mixer.audio;

import java.util.List;

/**
 * A consistent snapshot of a room's participants for the audio clock.
 *
 * @param taps listeners of the full mix: the room's recordings and live streams
 */
public record AudioRoster(long version, List<? extends AudioFeed> feeds, List<? extends MixSink> taps) {

    public AudioRoster(long version, List<? extends AudioFeed> feeds) {
        this(version, feeds, List.of());
    }
}
