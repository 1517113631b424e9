package dev.mcu.events.state;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The states of a recording or live stream, with PROTOCOL.md's wire names. */
public enum RecordingState {
    STARTING("starting"),
    ACTIVE("active"),
    STOPPING("stopping"),
    COMPLETE("complete"),
    FAILED("failed");

    private final String wireName;

    RecordingState(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** Whether nothing more happens to it. */
    public boolean ended() {
        return this == COMPLETE || this == FAILED;
    }

    @JsonCreator
    public static RecordingState fromWire(String name) {
        for (RecordingState s : values()) {
            if (s.wireName.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown recording state " + name);
    }
}
