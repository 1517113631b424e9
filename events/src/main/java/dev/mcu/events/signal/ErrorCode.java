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

    /**
     * Whether the client caused the error. Only these count towards the disconnect after a bounded
     * number of errors: a client that retries a join while no mixer can take it, or the room is
     * full, is doing what it should.
     */
    public boolean clientFault() {
        return switch (this) {
            case BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, RATE_LIMITED -> true;
            case ROOM_FULL, UNAVAILABLE, INTERNAL -> false;
        };
    }
}
