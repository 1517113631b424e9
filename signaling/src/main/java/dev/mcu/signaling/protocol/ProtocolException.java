package dev.mcu.signaling.protocol;

import dev.mcu.events.signal.CodedException;
import dev.mcu.events.signal.ErrorCode;

/** A client message that gets an {@code error} reply with this code, echoing its id; the session carries on. */
public final class ProtocolException extends CodedException {

    private final String requestId;

    public ProtocolException(ErrorCode code, String message, String requestId) {
        super(code, message);
        this.requestId = requestId;
    }

    public static ProtocolException badRequest(String message, String requestId) {
        return new ProtocolException(ErrorCode.BAD_REQUEST, message, requestId);
    }

    public String requestId() {
        return requestId;
    }
}
