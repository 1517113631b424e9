package dev.mcu.events.sdp;

import dev.mcu.events.signal.CodedException;
import dev.mcu.events.signal.ErrorCode;

/** An offer or candidate refused before it reached libwebrtc ({@code bad-request}); the message is safe to show a client. */
public final class InvalidSdpException extends CodedException {

    public InvalidSdpException(String message) {
        super(ErrorCode.BAD_REQUEST, message);
    }
}
