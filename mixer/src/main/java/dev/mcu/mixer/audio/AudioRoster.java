package dev.mcu.mixer.audio;

import java.util.List;

/** A consistent snapshot of a room's participants for the audio clock. */
public record AudioRoster(long version, List<? extends AudioFeed> feeds) {
}
