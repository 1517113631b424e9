package dev.mcu.events.state;

import java.util.Optional;

/**
 * Which mixer worker hosts a room. The single-machine default has one worker
 * ({@link SingleWorkerDirectory}); the control plane's placement replaces it in distributed mode.
 */
public interface RoomDirectory {

    /** The worker for the room, placing it if needed; empty when no worker can take it. */
    Optional<String> workerFor(String room);
}
