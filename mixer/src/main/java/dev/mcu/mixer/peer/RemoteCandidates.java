package dev.mcu.mixer.peer;

import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCPeerConnection;

import java.util.ArrayList;
import java.util.List;

/**
 * Trickled candidates from the other side of a peer connection. Signaling may deliver a candidate
 * before the description it belongs to has been applied; libwebrtc refuses those, so they wait
 * here until {@link #descriptionApplied()}.
 */
public final class RemoteCandidates {

    private static final int MAX_CANDIDATE_CHARS = 1024;

    private final RTCPeerConnection pc;
    private final List<RTCIceCandidate> pending = new ArrayList<>();
    private boolean ready;

    public RemoteCandidates(RTCPeerConnection pc) {
        this.pc = pc;
    }

    public void add(RTCIceCandidate candidate) {
        synchronized (pending) {
            if (!ready) {
                pending.add(candidate);
                return;
            }
        }
        pc.addIceCandidate(candidate);
    }

    /** The remote description is set: candidates that waited are added, later ones go straight through. */
    public void descriptionApplied() {
        List<RTCIceCandidate> waiting;
        synchronized (pending) {
            ready = true;
            waiting = List.copyOf(pending);
            pending.clear();
        }
        waiting.forEach(pc::addIceCandidate);
    }

    /**
     * Shallow checks that keep malformed candidates away from libwebrtc's parser.
     *
     * @throws InvalidSdpException naming what is wrong
     */
    public static void validate(String sdpMid, int sdpMLineIndex, String candidate) {
        String text = candidate.startsWith("a=") ? candidate.substring(2) : candidate;
        if (text.length() > MAX_CANDIDATE_CHARS || !text.startsWith("candidate:") || text.indexOf('\n') >= 0
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
