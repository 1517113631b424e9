package dev.mcu.signaling.protocol;

import dev.mcu.events.signal.ErrorCode;

/** A client message that gets an {@code error} reply with this code; the session carries on. */
public final class ProtocolException extends RuntimeException {

    private final ErrorCode code;
    private final String requestId;

    public ProtocolException(ErrorCode code, String message, String requestId) {
        super(message);
        this.code = code;
        this.requestId = requestId;
    }

    public static ProtocolException badRequest(String message, String requestId) {
        return new ProtocolException(ErrorCode.BAD_REQUEST, message, requestId);
    }

    public ErrorCode code() {
        return code;
    }

    public String requestId() {
        return requestId;
    }
}
