package dev.mcu.events.signal;

import java.util.Objects;

/**
 * A refusal that carries its PROTOCOL.md error code from where it is raised to the wire: whoever
 * catches it answers with {@link #code()} and the message, without mapping exception classes.
 */
public class CodedException extends RuntimeException {

    private final ErrorCode code;

    public CodedException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public CodedException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }
}
