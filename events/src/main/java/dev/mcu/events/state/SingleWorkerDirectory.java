package dev.mcu.events.state;

import dev.mcu.events.Ids;

import java.util.Optional;

/** Every room on one worker: the single-machine default. */
public record SingleWorkerDirectory(String workerId) implements RoomDirectory {

    public SingleWorkerDirectory {
        Ids.require(workerId, "worker id");
    }

    @Override
    public Optional<String> workerFor(String room) {
        return Optional.of(workerId);
    }
}
