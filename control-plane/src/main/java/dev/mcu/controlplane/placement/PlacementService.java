package dev.mcu.controlplane.placement;

import dev.mcu.controlplane.workers.WorkerRegistry;
import dev.mcu.events.Ids;
import dev.mcu.events.Json;
import dev.mcu.events.Topics;
import dev.mcu.events.bus.KafkaBus;
import dev.mcu.events.bus.TopicTail;
import dev.mcu.events.state.PlacementRequest;
import dev.mcu.events.state.RoomRecord;
import dev.mcu.events.state.RoomTable;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Answers signaling nodes' placement requests: creates a room that does not exist yet (PROTOCOL.md:
 * auto-create on first join, with the defaults), then places it; the answer is the room's record on
 * the rooms topic. The control plane is the only placer.
 */
public final class PlacementService implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(PlacementService.class.getName());

    private final RoomTable rooms;
    private final ScheduledDirectory directory;
    private final Clock clock;
    private final WorkerRegistry workers;
    private final Predicate<String> occupied;
    private final TopicTail tail;
    /** When each room's refusal was last logged (only the tail's thread). */
    private final Map<String, Long> warnedAt = new HashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("reassign-rooms").daemon().unstarted(r));

    /** @param occupied whether a room has participants (from the room events) */
    public PlacementService(KafkaBus bus, RoomTable rooms, ScheduledDirectory directory, WorkerRegistry workers,
                            Predicate<String> occupied, Clock clock) {
        this.rooms = rooms;
        this.occupied = occupied;
        this.directory = directory;
        this.workers = workers;
        this.clock = clock;
        this.tail = bus.tail(Topics.PLACEMENTS, (key, value) -> place(Json.read(value, PlacementRequest.class)));
        // Often: a room whose worker died waits for this (or for a session's request) to move.
        timer.scheduleWithFixedDelay(this::reassign, 250, 250, TimeUnit.MILLISECONDS);
    }

    /**
     * Every room whose worker died, drains or restarted gets another worker (or the restarted one);
     * its sessions move to the new
     * assignment (they find it on the rooms topic). An empty room gets none: it costs nothing until
     * its next join places it.
     */
    private void reassign() {
        try {
            for (RoomRecord room : rooms.all()) {
                if (room.workerId() != null && workers.mustLeave(room.workerId(), room.workerInstance())) {
                    if (occupied.test(room.id())) {
                        directory.assignment(room.id());
                    } else {
                        rooms.put(room.unplaced());
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "reassigning rooms failed", e);
        }
    }

    private void place(PlacementRequest request) {
        if (!Ids.valid(request.room()) || request.maxParticipants() < 1) {
            LOG.log(Level.WARNING, "invalid placement request dropped: {0}", request);
            return;
        }
        if (rooms.get(request.room()).isEmpty()) {
            rooms.put(RoomRecord.createdByJoin(request.room(), request.maxParticipants(), clock.millis()));
        }
        if (directory.assignment(request.room()).isEmpty()) {
            long now = clock.millis();
            if (now - warnedAt.getOrDefault(request.room(), 0L) > 10_000) {
                warnedAt.put(request.room(), now);
                warnedAt.keySet().removeIf(room -> rooms.get(room).isEmpty());
                LOG.log(Level.WARNING, "room {0}: every mixer worker is full, draining or dead", request.room());
            }
            rooms.get(request.room()).ifPresent(r -> rooms.put(r.refused(request.sentAtMs())));
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        tail.close();
    }
}
