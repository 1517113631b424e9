package dev.mcu.events.state;

/**
 * A mixer worker's heartbeat, every second on the compacted topic {@link dev.mcu.events.Topics#WORKERS}
 * (key: worker id).
 *
 * @param state      {@code ready} or {@code draining} (a worker never reports itself dead)
 * @param load       CPU use of the worker's process, 0..1
 * @param streamCost the estimated cost of its outbound streams, in 640x360/30 stream units
 * @param capacity   the stream cost it can carry
 */
public record WorkerStatus(String id, String state, int rooms, int participants, double load, double streamCost,
                           double capacity, long sentAtMs) {
}
