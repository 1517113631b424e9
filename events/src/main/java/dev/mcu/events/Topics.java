package dev.mcu.events;

import java.util.List;
import java.util.Map;

/**
 * Kafka topic names. Relay topics are per node and have one partition: order within a room (on a
 * worker's command topic) and within a session (on a signaling node's reply topic) is the order
 * of the single partition.
 */
public final class Topics {

    /** Rooms as the control plane keeps them; compacted, key room id. */
    public static final String ROOMS = "mcu.rooms";
    /** What happened in rooms (joins, leaves, mutes, closes); append-only, key room id. */
    public static final String ROOM_EVENTS = "mcu.room-events";
    /** Requests to place a room, from signaling nodes to the control plane; key room id. */
    public static final String PLACEMENTS = "mcu.placements";
    /** Worker heartbeats with their load; compacted, key worker id. */
    public static final String WORKERS = "mcu.workers";
    /** Join tokens of kicked participants, refused until they expire; compacted, key token id. */
    public static final String REVOKED_TOKENS = "mcu.revoked-tokens";

    /** Recordings and live streams admins asked for; compacted, key recording id (the control plane writes). */
    public static final String RECORDINGS = "mcu.recordings";
    /** How each recording or live stream stands; compacted, key recording id (the hosting worker writes). */
    public static final String RECORDING_STATUS = "mcu.recording-status";

    /** The topics every deployment has; the per-node relay topics come and go with their nodes. */
    public static final List<String> SHARED = List.of(ROOMS, ROOM_EVENTS, PLACEMENTS, WORKERS, REVOKED_TOKENS,
            RECORDINGS, RECORDING_STATUS);

    private static final String HOUR_MS = String.valueOf(3_600_000L);
    private static final String WEEK_MS = String.valueOf(7 * 24 * 3_600_000L);

    private Topics() {
    }

    /**
     * How a topic keeps its records: state topics are compacted (the last value of each key lives
     * on); room events are kept a week (the control plane replays them on start); relay topics
     * carry only what is in flight and keep an hour.
     */
    public static Map<String, String> config(String topic) {
        if (topic.equals(ROOMS) || topic.equals(WORKERS) || topic.equals(REVOKED_TOKENS) || topic.equals(RECORDINGS)
                || topic.equals(RECORDING_STATUS)) {
            return Map.of("cleanup.policy", "compact");
        }
        if (topic.equals(ROOM_EVENTS)) {
            return Map.of("retention.ms", WEEK_MS);
        }
        return Map.of("retention.ms", HOUR_MS);
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
