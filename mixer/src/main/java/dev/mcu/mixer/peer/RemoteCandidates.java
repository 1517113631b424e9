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

}
