package dev.mcu.events.state;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What a room's output is: a recording into files, or a live stream to an RTMP URL. */
public enum OutputKind {
    RECORDING("recording"),
    STREAM("stream");

    private final String wireName;

    OutputKind(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static OutputKind fromWire(String name) {
        for (OutputKind k : values()) {
            if (k.wireName.equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown output kind " + name);
    }
}
