package dev.mcu.events.signal;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Why a participant left its room: the {@code reason} of {@code participant-left} (PROTOCOL.md section 1). */
public enum LeaveReason {
    /** The client said {@code leave}. */
    LEFT("left"),
    /** An admin removed it, or another session joined with its identity. */
    KICKED("kicked"),
    /** Its socket closed, or its peer connection failed. */
    DISCONNECTED("disconnected"),
    /** Its peer did not connect in time, or stayed disconnected too long. */
    TIMEOUT("timeout"),
    /** Internal: it is in the room on another worker now (a drain); nobody is told. */
    MOVED("moved"),
    /** Anything the contract does not name. */
    UNKNOWN("unknown");

    private final String wire;

    LeaveReason(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static LeaveReason fromWire(String name) {
        if (name != null) {
            for (LeaveReason r : values()) {
                if (r.wire.equals(name.toLowerCase(Locale.ROOT))) {
                    return r;
                }
            }
        }
        return UNKNOWN;
    }
}
