package dev.mcu.events.sdp;

/** An offer or candidate refused before it reached libwebrtc; the message is safe to show a client. */
public final class InvalidSdpException extends IllegalArgumentException {

    public InvalidSdpException(String message) {
        super(message);
    }
}
