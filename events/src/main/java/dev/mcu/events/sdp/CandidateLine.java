package dev.mcu.events.sdp;

/**
 * Shallow checks of a trickled ICE candidate that keep malformed input away from libwebrtc's
 * parser; the signaling edge and the mixer both apply them.
 */
public final class CandidateLine {

    public static final int MAX_CHARS = 1024;

    private CandidateLine() {
    }

    /** @throws InvalidSdpException naming what is wrong */
    public static void validate(String sdpMid, int sdpMLineIndex, String candidate) {
        String text = candidate.startsWith("a=") ? candidate.substring(2) : candidate;
        if (text.length() > MAX_CHARS || !text.startsWith("candidate:") || text.indexOf('\n') >= 0
                || text.indexOf('\r') >= 0) {
            throw new InvalidSdpException("not an ICE candidate line");
        }
        if (sdpMid != null && (sdpMid.length() > 64 || !sdpMid.matches("[A-Za-z0-9_\\-]+"))) {
            throw new InvalidSdpException("sdpMid must be 1-64 characters of [A-Za-z0-9_-]");
        }
        if (sdpMLineIndex < 0 || sdpMLineIndex > SdpOffer.MAX_LINES) {
            throw new InvalidSdpException("sdpMLineIndex out of range");
        }
    }
}
