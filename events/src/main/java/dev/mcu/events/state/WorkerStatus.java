package dev.mcu.events.state;

import java.util.List;

/**
 * A mixer worker's heartbeat, every second on the compacted topic {@link dev.mcu.events.Topics#WORKERS}
 * (key: worker id).
 *
 * @param state      {@code ready} or {@code draining} (a worker never reports itself dead)
 * @param load       CPU use of the worker's process, 0..1
 * @param streamCost the estimated cost of its outbound streams, in 640x360/30 stream units
 * @param capacity   the stream cost it can carry
 * @param roomIds    the rooms it hosts now (each with participants): the control plane unassigns
 *                   rooms that have emptied and re-adopts one a late join brought back
 */
public record WorkerStatus(String id, String state, int rooms, int participants, double load, double streamCost,
                           double capacity, long sentAtMs, List<String> roomIds) {

    public WorkerStatus {
        roomIds = roomIds == null ? List.of() : List.copyOf(roomIds);
    }
}
