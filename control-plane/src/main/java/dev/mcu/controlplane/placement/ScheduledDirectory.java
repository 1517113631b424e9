package dev.mcu.controlplane.placement;

import dev.mcu.controlplane.workers.WorkerRegistry;
import dev.mcu.events.state.RoomDirectory;
import dev.mcu.events.state.RoomRecord;
import dev.mcu.events.state.RoomTable;
import dev.mcu.events.state.VideoSettings;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which worker hosts a room, by the scheduler: a room keeps its worker while that worker lives and
 * is not draining; a new room, or one whose worker died or drains, is placed on the worker with the most headroom, and the
 * assignment is written to the room's record. The scheduler's view is refreshed when a new round
 * of heartbeats has arrived (a worker's load: its reported streams, or the expected cost of the
 * rooms assigned to it, whichever is more); between rounds its reservations keep a burst spread.
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
        if (record != null && record.workerId() != null && workers.isServing(record.workerId())) {
            return Optional.of(record.workerId());
        }
        long heartbeats = workers.heartbeats();
        if (heartbeats != seenHeartbeats) {
            scheduler.update(withAssignedRooms(workers.candidates()));
            seenHeartbeats = heartbeats;
        }
        Optional<String> placed = scheduler.place(cost(record));
        if (placed.isPresent() && record != null) {
            rooms.put(record.withWorker(placed.get()));
        }
        return placed;
    }

    /**
     * A worker's load is at least what its assigned rooms are expected to cost: rooms placed but not
     * yet (fully) joined are not in its heartbeat, and must still count against its headroom.
     */
    private List<Scheduler.Candidate> withAssignedRooms(List<Scheduler.Candidate> candidates) {
        Map<String, Double> assigned = new HashMap<>();
        for (RoomRecord room : rooms.all()) {
            if (room.workerId() != null) {
                assigned.merge(room.workerId(), cost(room), Double::sum);
            }
        }
        return candidates.stream().map(c -> new Scheduler.Candidate(c.id(), c.ready(), c.capacity(),
                Math.max(c.reportedCost(), assigned.getOrDefault(c.id(), 0.0)))).toList();
    }

    private double cost(RoomRecord room) {
        VideoSettings video = room == null ? VideoSettings.DEFAULT : room.video();
        int max = room == null ? defaultMaxParticipants : room.maxParticipants();
        return StreamCost.room(video, max, expectedParticipants);
    }
}
