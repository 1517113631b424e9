package dev.mcu.controlplane.placement;

import dev.mcu.controlplane.workers.WorkerRegistry;
import dev.mcu.events.state.RoomDirectory;
import dev.mcu.events.state.RoomRecord;
import dev.mcu.events.state.RoomTable;
import dev.mcu.events.state.VideoSettings;

import java.util.Optional;

/**
 * Which worker hosts a room, by the scheduler: a room keeps its worker while that worker lives;
 * a new room, or one whose worker died, is placed on the worker with the most headroom, and the
 * assignment is written to the room's record. The scheduler's view is refreshed when a new round
 * of heartbeats has arrived; between rounds its reservations keep a burst of new rooms spread.
 */
public final class ScheduledDirectory implements RoomDirectory {

    private final RoomTable rooms;
    private final WorkerRegistry workers;
    private final int expectedParticipants;
    private final int defaultMaxParticipants;
    private final Scheduler scheduler = new Scheduler();
    private long seenHeartbeats = -1;

    public ScheduledDirectory(RoomTable rooms, WorkerRegistry workers, int expectedParticipants,
                              int defaultMaxParticipants) {
        this.rooms = rooms;
        this.workers = workers;
        this.expectedParticipants = expectedParticipants;
        this.defaultMaxParticipants = defaultMaxParticipants;
    }

    @Override
    public synchronized Optional<String> workerFor(String room) {
        RoomRecord record = rooms.get(room).orElse(null);
        if (record != null && record.workerId() != null && workers.isAlive(record.workerId())) {
            return Optional.of(record.workerId());
        }
        long heartbeats = workers.heartbeats();
        if (heartbeats != seenHeartbeats) {
            scheduler.update(workers.candidates());
            seenHeartbeats = heartbeats;
        }
        VideoSettings video = record == null ? VideoSettings.DEFAULT : record.video();
        int max = record == null ? defaultMaxParticipants : record.maxParticipants();
        Optional<String> placed = scheduler.place(StreamCost.room(video, max, expectedParticipants));
        if (placed.isPresent() && record != null) {
            rooms.put(record.withWorker(placed.get()));
        }
        return placed;
    }
}
