package dev.mcu.events.signal;

import com.fasterxml.jackson.annotation.JsonValue;

/** The {@code code} of an {@code error} message (PROTOCOL.md section 1). */
public enum ErrorCode {
    BAD_REQUEST("bad-request"),
    UNAUTHORIZED("unauthorized"),
    FORBIDDEN("forbidden"),
    NOT_FOUND("not-found"),
    ROOM_FULL("room-full"),
    RATE_LIMITED("rate-limited"),
    UNAVAILABLE("unavailable"),
    INTERNAL("internal");

    private final String wire;

    ErrorCode(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }
}
