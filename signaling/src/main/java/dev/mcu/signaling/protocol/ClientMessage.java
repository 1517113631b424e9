package dev.mcu.signaling.protocol;

import dev.mcu.events.sdp.SdpOffer;
import dev.mcu.events.signal.View;

/**
 * Every message a client may send (PROTOCOL.md section 1, "Client to server"), validated: a value
 * of these types has every required field present, typed and in range.
 */
public sealed interface ClientMessage {

    /** The client's {@code id}, echoed in the reply; null if it sent none. */
    String id();

    /** @param room optional extension: the room the client means to join (must match the token) */
    record Join(String id, String token, String name, View view, String room) implements ClientMessage {
    }

    record Offer(String id, SdpOffer offer) implements ClientMessage {
    }

    /** @param candidate null for the end of candidates */
    record Candidate(String id, String candidate, String sdpMid, Integer sdpMLineIndex) implements ClientMessage {
    }

    record Mute(String id, Boolean audio, Boolean video) implements ClientMessage {
    }

    record ChangeView(String id, View view) implements ClientMessage {
    }

    record Leave(String id) implements ClientMessage {
    }

    record Ping(String id) implements ClientMessage {
    }
}
