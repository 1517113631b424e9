package dev.mcu.controlplane.rooms;

import dev.mcu.events.Json;
import dev.mcu.events.Topics;
import dev.mcu.events.bus.KafkaBus;
import dev.mcu.events.relay.WorkerCommand;

/** Admin actions as commands on the hosting worker's topic; their effects come back as room events. */
public final class AdminCommands {

    private final KafkaBus bus;

    public AdminCommands(KafkaBus bus) {
        this.bus = bus;
    }

    public void send(String workerId, String room, String participantId, WorkerCommand.Command command) {
        String topic = Topics.workerCommands(workerId);
        bus.ensureTopic(topic);
        bus.send(topic, room, Json.write(new WorkerCommand(room, participantId, null, null, null, command)));
    }
}
