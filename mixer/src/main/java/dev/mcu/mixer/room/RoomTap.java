package dev.mcu.mixer.room;

import dev.mcu.mixer.audio.MixSink;
import dev.mcu.mixer.video.CompositeSink;

/**
 * An output of a room that is not a participant: a recording or a live stream. The video clock
 * gives it the composite of its view (everyone shown), the audio clock the full mix; the room tells
 * it who comes and goes, and when the room closes. Every method must return at once and throw
 * nothing: the clocks call it.
 */
public interface RoomTap extends CompositeSink, MixSink {

    /** Someone joined (or was already there when the tap was attached). */
    default void joined(ParticipantInfo participant) {
    }

    default void left(String participantId) {
    }

    /**
     * How many milliseconds the room's sound now lags its pictures in what the clocks give (measured
     * about once a second while there are taps): a tap that writes both keeps them in sync with it.
     */
    default void audioLag(double ms) {
    }

    /** The room closed: the tap gets nothing more and ends what it writes. */
    default void roomClosed() {
    }
}
