package dev.mcu.mixer.worker;

import dev.mcu.events.Json;
import dev.mcu.events.Topics;
import dev.mcu.events.bus.KafkaBus;
import dev.mcu.events.signal.Participant;
import dev.mcu.events.state.RoomEvent;

/** Publishes what happens in this worker's rooms to the append-only room events topic. */
final class RoomEvents {

    private final KafkaBus bus;
    private final String workerId;
    private final String instance;
    private volatile boolean silent;

    RoomEvents(KafkaBus bus, String workerId, String instance) {
        this.bus = bus;
        this.workerId = workerId;
        this.instance = instance;
        bus.ensureTopic(Topics.ROOM_EVENTS);
    }

    /** Sends nothing from now on (a killed worker). */
    void silence() {
        silent = true;
    }

    void publish(String room, String type, Participant participant, String participantId, String reason) {
        if (silent) {
            return;
        }
        bus.send(Topics.ROOM_EVENTS, room, Json.write(new RoomEvent(room, workerId, instance, System.currentTimeMillis(), type,
                participant, participantId, reason)));
    }
}
