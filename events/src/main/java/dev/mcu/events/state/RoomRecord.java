package dev.mcu.events.state;

/**
 * A room as the control plane keeps it, on the compacted topic {@link dev.mcu.events.Topics#ROOMS}
 * (key: room id; a null value deletes it). PROTOCOL.md's room object adds the live participant count.
 *
 * @param workerId    the worker hosting the room, or null while it is not placed (an empty room
 *                    holds no worker: it is placed again by its next join)
 * @param refusedMs   the {@code sentAtMs} of the last placement request the control plane could not
 *                    honour (no worker had room), or null; it answers that request
 * @param autoCreated whether a join created the room (it is deleted after staying empty for a while)
 *                    rather than the admin API (it stays until deleted)
 * @param workerInstance the run of that worker the room was placed on (see {@link WorkerStatus#instance}):
 *                    a worker restarted under the same id hosts none of the old run's rooms
 * @param epoch       the assignment's generation, raised at every change of worker: a worker that
 *                    sees its room assigned elsewhere under a later epoch stops it (fencing)
 */
public record RoomRecord(String id, String name, int maxParticipants, String layout, VideoSettings video,
                         String workerId, String workerInstance, long createdAtMs, Long refusedMs, boolean autoCreated,
                         long epoch) {

    public RoomRecord(String id, String name, int maxParticipants, String layout, VideoSettings video,
                      String workerId, long createdAtMs) {
        this(id, name, maxParticipants, layout, video, workerId, null, createdAtMs, null, false, 0);
    }

    /** A room a join creates, with the defaults (PROTOCOL.md: auto-create on first join). */
    public static RoomRecord createdByJoin(String id, int maxParticipants, long nowMs) {
        return new RoomRecord(id, id, maxParticipants, "grid", VideoSettings.DEFAULT, null, null, nowMs, null, true, 0);
    }

    /** The room on another worker's run (or on none, with nulls), under the next epoch. */
    public RoomRecord withWorker(String worker, String instance) {
        return new RoomRecord(id, name, maxParticipants, layout, video, worker, worker == null ? null : instance,
                createdAtMs, null, autoCreated, epoch + 1);
    }

    /** The room on no worker, under the next epoch. */
    public RoomRecord unplaced() {
        return withWorker(null, null);
    }

    /** No worker could take the room for the request sent at {@code requestSentAtMs}. */
    public RoomRecord refused(long requestSentAtMs) {
        return new RoomRecord(id, name, maxParticipants, layout, video, workerId, workerInstance, createdAtMs,
                requestSentAtMs, autoCreated, epoch);
    }

    public RoomRecord with(String newName, Integer newMax, String newLayout) {
        return new RoomRecord(id, newName != null ? newName : name, newMax != null ? newMax : maxParticipants,
                newLayout != null ? newLayout : layout, video, workerId, workerInstance, createdAtMs, refusedMs,
                autoCreated, epoch);
    }
}
