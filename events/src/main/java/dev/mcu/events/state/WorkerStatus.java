package dev.mcu.events.state;

import java.util.List;

/**
 * A mixer worker's heartbeat, every second on the compacted topic {@link dev.mcu.events.Topics#WORKERS}
 * (key: worker id).
 *
 * @param instance   this run of the worker: a worker restarted under the same id (a supervised child,
 *                   a Kubernetes pod) has a new instance, and rooms placed on the old one must move
 * @param state      {@code ready} or {@code draining}; {@code dead} only from the worker's supervisor,
 *                   the moment it sees the process exit (a worker never reports itself dead)
 * @param load       CPU use of the worker's process, 0..1
 * @param streamCost the estimated cost of its outbound streams, in 640x360/30 stream units
 * @param capacity   the stream cost it can carry
 * @param roomIds    the rooms it hosts now (each with participants): the control plane unassigns
 *                   rooms that have emptied and re-adopts one a late join brought back
 */
public record WorkerStatus(String id, String instance, String state, int rooms, int participants, double load, double streamCost,
                           double capacity, long sentAtMs, List<String> roomIds) {

    public static final String READY = "ready";
    public static final String DRAINING = "draining";
    public static final String DEAD = "dead";

    public WorkerStatus {
        roomIds = roomIds == null ? List.of() : List.copyOf(roomIds);
    }

    /** What a supervisor publishes when it sees this worker's process exit: dead at once, not 3 s later. */
    public static WorkerStatus died(String id, String instance, long atMs) {
        return new WorkerStatus(id, instance, DEAD, 0, 0, 0, 0, 0, atMs, List.of());
    }
}
