package dev.mcu.controlplane.placement;

import dev.mcu.controlplane.workers.WorkerRegistry;
import dev.mcu.events.state.RoomDirectory;
import dev.mcu.events.state.RoomRecord;
import dev.mcu.events.state.RoomTable;
import dev.mcu.events.state.VideoSettings;
import dev.mcu.events.state.WorkerStatus;

import java.time.Clock;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Which worker hosts a room, by the scheduler: a room keeps its worker while that worker lives, is
 * not draining and has not been restarted since; a room without one (new, emptied, or whose worker
 * died, drains or restarted) is placed on
 * the worker with the most headroom, and the assignment is written to the room's record under the
 * next epoch. A room that does not exist yet is created first (auto-create on first join).
 *
 * <p>A worker's load is what it really carries: the stream cost of its participants, from its
 * heartbeat, plus a reservation for each room placed on it that has not been joined yet (a join on
 * its way). A reservation ends when the room's first participant has joined ({@link #joined}), when
 * a heartbeat lists the room, or after {@link #RESERVATION_MS}; empty rooms cost nothing.
 */
public final class ScheduledDirectory implements RoomDirectory {

    /** Longer than a join takes to reach its worker and show in a heartbeat. */
    static final long RESERVATION_MS = 15_000;

    private record Reservation(String workerId, double cost, long atMs) {
    }

    private final RoomTable rooms;
    private final WorkerRegistry workers;
    private final int expectedParticipants;
    private final int defaultMaxParticipants;
    private final Clock clock;
    private final Scheduler scheduler = new Scheduler();
    private final Map<String, Reservation> reservations = new HashMap<>();
    private final Queue<String> joinedRooms = new ConcurrentLinkedQueue<>();
    private long seenHeartbeats = -1;

    public ScheduledDirectory(RoomTable rooms, WorkerRegistry workers, int expectedParticipants,
                              int defaultMaxParticipants, Clock clock) {
        this.rooms = rooms;
        this.workers = workers;
        this.expectedParticipants = expectedParticipants;
        this.defaultMaxParticipants = defaultMaxParticipants;
        this.clock = clock;
    }

    @Override
    public synchronized Optional<RoomRecord> assignment(String room) {
        RoomRecord record = rooms.get(room).orElse(null);
        if (record != null && workers.hosts(record)) {
            return Optional.of(record);
        }
        settleJoined();
        long heartbeats = workers.heartbeats();
        if (heartbeats != seenHeartbeats) {
            scheduler.update(withReservations(workers.candidates()));
            seenHeartbeats = heartbeats;
        }
        // It must fit its first participant's stream; it reserves what it is expected to grow to.
        VideoSettings video = record == null ? VideoSettings.DEFAULT : record.video();
        Optional<Scheduler.Placement> placed = scheduler.place(StreamCost.of(video), cost(record));
        if (placed.isEmpty()) {
            return Optional.empty();
        }
        String worker = placed.get().workerId();
        RoomRecord base = record != null ? record : RoomRecord.createdByJoin(room, defaultMaxParticipants, clock.millis());
        RoomRecord assigned = base.withWorker(worker, workers.instance(worker));
        rooms.put(assigned);
        reservations.put(room, new Reservation(worker, placed.get().reserved(), clock.millis()));
        return Optional.of(assigned);
    }

    /** A participant joined the room on its worker: from now on the worker's heartbeats carry its cost. */
    public void joined(String room) {
        joinedRooms.add(room); // settled under the lock on the next placement, without blocking the caller
    }

    /** Ends the reservations of rooms that have been joined, in the scheduler's headroom too. */
    private void settleJoined() {
        for (String room; (room = joinedRooms.poll()) != null; ) {
            Reservation r = reservations.remove(room);
            if (r != null) {
                scheduler.release(r.workerId(), r.cost());
            }
        }
    }

    /**
     * The candidates with their reservations added to what they report; reservations their worker
     * now reports (or that are too old to be a join on its way) end here.
     */
    private List<Scheduler.Candidate> withReservations(List<Scheduler.Candidate> candidates) {
        long now = clock.millis();
        Map<String, Double> reserved = new HashMap<>();
        for (Iterator<Map.Entry<String, Reservation>> it = reservations.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Reservation> e = it.next();
            Reservation r = e.getValue();
            boolean shown = workers.status(r.workerId()).map(s -> hosts(s, e.getKey())).orElse(false);
            if (shown || now - r.atMs() > RESERVATION_MS) {
                it.remove();
            } else {
                reserved.merge(r.workerId(), r.cost(), Double::sum);
            }
        }
        return candidates.stream().map(c -> new Scheduler.Candidate(c.id(), c.ready(), c.capacity(),
                c.reportedCost() + reserved.getOrDefault(c.id(), 0.0))).toList();
    }

    private static boolean hosts(WorkerStatus status, String room) {
        return status.roomIds() != null && status.roomIds().contains(room);
    }

    private double cost(RoomRecord room) {
        VideoSettings video = room == null ? VideoSettings.DEFAULT : room.video();
        int max = room == null ? defaultMaxParticipants : room.maxParticipants();
        return StreamCost.room(video, max, expectedParticipants);
    }
}
