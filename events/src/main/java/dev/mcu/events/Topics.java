package dev.mcu.events;

/**
 * Kafka topic names. Relay topics are per node and have one partition: order within a room (on a
 * worker's command topic) and within a session (on a signaling node's reply topic) is the order
 * of the single partition.
 */
public final class Topics {

    private Topics() {
    }

    /** Commands for one mixer worker: what clients sent (join, offer, candidate, mute, view, leave). */
    public static String workerCommands(String workerId) {
        return "mcu.worker." + Ids.require(workerId, "worker id") + ".commands";
    }

    /** Messages for the clients of one signaling node (answers, candidates, room events). */
    public static String signalingReplies(String nodeId) {
        return "mcu.signaling." + Ids.require(nodeId, "signaling node id") + ".replies";
    }
}
