package dev.mcu.events.signal;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** How a view arranges the room's participants; round-trips to the wire names of PROTOCOL.md. */
public enum Layout {
    GRID("grid"),
    SPEAKER("speaker"),
    PRESENTATION("presentation"),
    /** Anything the contract does not name; never produced by the mixer. */
    UNKNOWN("unknown");

    private final String wireName;

    Layout(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static Layout fromWire(String name) {
        if (name == null) {
            return UNKNOWN;
        }
        for (Layout layout : values()) {
            if (layout != UNKNOWN && layout.wireName.equals(name.toLowerCase(Locale.ROOT))) {
                return layout;
            }
        }
        return UNKNOWN;
    }
}
