package dev.mcu.mixer.peer;

import dev.onvoid.webrtc.RTCIceCandidate;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The mixer's own ICE candidates on their way to the client: those gathered while an answer is
 * being made are held until that answer has been sent, then follow it. A client must not get a
 * candidate before its answer (Firefox refuses it, and the only host candidate can be lost).
 * Called from libwebrtc's threads and the worker's; guarded by this object.
 */
final class LocalCandidates {

    private final Consumer<RTCIceCandidate> send;
    private final List<RTCIceCandidate> held = new ArrayList<>();
    private boolean holding = true;

    LocalCandidates(Consumer<RTCIceCandidate> send) {
        this.send = send;
    }

    /** A new answer is being made: candidates wait for it. */
    synchronized void hold() {
        holding = true;
    }

    /** A candidate libwebrtc gathered: sent now, or held for the answer. */
    void gathered(RTCIceCandidate candidate) {
        synchronized (this) {
            if (holding) {
                held.add(candidate);
                return;
            }
        }
        send.accept(candidate);
    }

    /** The answer has been sent: what was held follows it, and later candidates go at once. */
    void release() {
        List<RTCIceCandidate> out;
        synchronized (this) {
            holding = false;
            out = List.copyOf(held);
            held.clear();
        }
        out.forEach(send);
    }
}
