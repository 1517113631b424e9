package dev.mcu.events.state;

import java.util.Optional;

/**
 * Which mixer worker hosts a room: the seam between signaling, which needs the answer, and the
 * control plane's scheduler, which gives it (dev.mcu.controlplane.placement.ScheduledDirectory).
 */
public interface RoomDirectory {

    /** The worker for the room, placing it if needed; empty when no worker can take it. */
    Optional<String> workerFor(String room);
}
