package dev.mcu.mixer.worker;

import dev.mcu.events.Json;
import dev.mcu.events.Topics;
import dev.mcu.events.bus.KafkaBus;
import dev.mcu.events.relay.SessionMessage;
import dev.mcu.events.signal.ServerMessage;

/** Sends messages to client sessions through their signaling node's reply topic. */
final class Replies {

    private final KafkaBus bus;
    private volatile boolean silent;

    Replies(KafkaBus bus) {
        this.bus = bus;
    }

    /** Sends nothing from now on (a killed worker). */
    void silence() {
        silent = true;
    }

    void send(SessionRoute to, String requestId, ServerMessage message) {
        if (silent) {
            return;
        }
        bus.send(Topics.signalingReplies(to.node()), to.session(),
                Json.write(new SessionMessage(to.session(), requestId, message)));
    }
}
