package dev.mcu.events.state;

/**
 * A room as the control plane keeps it, on the compacted topic {@link dev.mcu.events.Topics#ROOMS}
 * (key: room id; a null value deletes it). PROTOCOL.md's room object adds the live participant count.
 *
 * @param workerId  the worker hosting the room, or null while it is not placed
 * @param refusedMs the {@code sentAtMs} of the last placement request the control plane could not
 *                  honour (no worker had room), or null; it answers that request
 */
public record RoomRecord(String id, String name, int maxParticipants, String layout, VideoSettings video,
                         String workerId, long createdAtMs, Long refusedMs) {

    public RoomRecord(String id, String name, int maxParticipants, String layout, VideoSettings video,
                      String workerId, long createdAtMs) {
        this(id, name, maxParticipants, layout, video, workerId, createdAtMs, null);
    }

    public RoomRecord withWorker(String worker) {
        return new RoomRecord(id, name, maxParticipants, layout, video, worker, createdAtMs, null);
    }

    /** No worker could take the room for the request sent at {@code requestSentAtMs}. */
    public RoomRecord refused(long requestSentAtMs) {
        return new RoomRecord(id, name, maxParticipants, layout, video, workerId, createdAtMs, requestSentAtMs);
    }

    public RoomRecord with(String newName, Integer newMax, String newLayout) {
        return new RoomRecord(id, newName != null ? newName : name, newMax != null ? newMax : maxParticipants,
                newLayout != null ? newLayout : layout, video, workerId, createdAtMs, refusedMs);
    }
}
