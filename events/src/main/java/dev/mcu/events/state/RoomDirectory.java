package dev.mcu.events.state;

import java.util.Optional;

/**
 * Which mixer worker hosts a room: the seam between signaling, which needs the answer, and the
 * control plane's scheduler, which gives it (dev.mcu.controlplane.placement.ScheduledDirectory).
 */
public interface RoomDirectory {

    /**
     * The room's record with its assignment to a serving worker (and that worker's current
     * instance), placing the room if needed; empty when no worker can take it.
     */
    Optional<RoomRecord> assignment(String room);
}
