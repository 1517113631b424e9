package dev.mcu.controlplane.rooms;

import dev.mcu.controlplane.workers.WorkerRegistry;
import dev.mcu.events.state.RoomRecord;
import dev.mcu.events.state.RoomTable;
import dev.mcu.events.state.WorkerStatus;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps the rooms' records true to what the workers carry, once a second:
 * <ul>
 * <li>a room that has been empty (no participants, not in its worker's heartbeat) for
 *     {@link #UNLOAD_AFTER} gives its worker back: it costs nothing until its next join places it;</li>
 * <li>a room a worker's heartbeat shows while its record names no worker (a join that arrived just
 *     after the room was given back) is assigned to that worker again;</li>
 * <li>an auto-created room that stayed empty for the configured time is deleted; rooms created
 *     through the API stay until deleted;</li>
 * <li>participants last seen on a worker that no longer hosts their room (it died or restarted, or
 *     the room moved) leave the participant table; their new worker announces them again.</li>
 * </ul>
 */
public final class RoomJanitor {

    private static final System.Logger LOG = System.getLogger(RoomJanitor.class.getName());
    /** Longer than a join takes to reach its worker and show up in a heartbeat. */
    static final Duration UNLOAD_AFTER = Duration.ofSeconds(15);
    /** A dead worker's participants leave the table after this (they are rejoining elsewhere). */
    static final Duration DEAD_PARTICIPANTS_AFTER = Duration.ofSeconds(5);

    private final RoomTable rooms;
    private final ParticipantTable participants;
    private final WorkerRegistry workers;
    private final Clock clock;
    private final Duration emptyRoomTtl;
    /** When each room was first seen empty, on this process's clock (only the janitor's thread). */
    private final Map<String, Long> emptySince = new HashMap<>();

    private final java.util.function.Consumer<String> deleted;

    /** @param deleted told of each room it deletes (its recordings stop) */
    public RoomJanitor(RoomTable rooms, ParticipantTable participants, WorkerRegistry workers, Clock clock,
                       Duration emptyRoomTtl, java.util.function.Consumer<String> deleted) {
        this.deleted = deleted;
        this.rooms = rooms;
        this.participants = participants;
        this.workers = workers;
        this.clock = clock;
        this.emptyRoomTtl = emptyRoomTtl;
    }

    /** One pass over every room; call periodically from one thread. */
    public void sweep() {
        long now = clock.millis();
        adoptRoomsWorkersReport();
        for (RoomRecord room : rooms.all()) {
            try {
                dropParticipantsOfLostWorkers(room, now);
                sweep(room, now);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "room " + room.id() + ": janitor pass failed", e);
            }
        }
        emptySince.keySet().removeIf(id -> rooms.get(id).isEmpty());
    }

    private void sweep(RoomRecord room, long now) {
        boolean hosted = room.workerId() != null && hosts(room.workerId(), room.id());
        if (hosted || participants.count(room.id()) > 0) {
            emptySince.remove(room.id());
            return;
        }
        long since = emptySince.computeIfAbsent(room.id(), id -> now);
        long empty = now - since;
        if (room.autoCreated() && empty >= emptyRoomTtl.toMillis()) {
            LOG.log(Level.INFO, "room {0}: auto-created and empty for {1} s, deleted", room.id(), empty / 1000);
            deleted.accept(room.id());
            rooms.delete(room.id());
            emptySince.remove(room.id());
        } else if (room.workerId() != null && empty >= UNLOAD_AFTER.toMillis()) {
            LOG.log(Level.DEBUG, "room {0}: empty, unloaded from {1}", room.id(), room.workerId());
            rooms.put(room.unplaced());
        }
    }

    /** A room that a serving worker hosts while its record names no worker goes back to that worker. */
    private void adoptRoomsWorkersReport() {
        for (WorkerRegistry.Worker w : workers.all()) {
            if (!workers.isServing(w.id())) {
                continue;
            }
            WorkerStatus status = workers.status(w.id()).orElse(null);
            if (status == null) {
                continue;
            }
            for (String roomId : status.roomIds()) {
                rooms.get(roomId).filter(r -> r.workerId() == null).ifPresent(r -> {
                    LOG.log(Level.INFO, "room {0}: hosted by {1} while unassigned, assigned to it", roomId, w.id());
                    rooms.put(r.withWorker(w.id(), status.instance()));
                });
            }
        }
    }

    private void dropParticipantsOfLostWorkers(RoomRecord room, long now) {
        for (ParticipantTable.Host host : participants.hostsOf(room.id())) {
            String worker = host.workerId();
            if (worker == null) {
                continue;
            }
            boolean moved = room.workerId() != null && !Objects.equals(worker, room.workerId())
                    && !hosts(worker, room.id());
            boolean dead = workers.isDead(worker) && now - lastHeard(worker) >= DEAD_PARTICIPANTS_AFTER.toMillis();
            boolean restarted = !workers.isCurrent(worker, host.instance())
                    && now - workers.instanceSinceMs(worker) >= DEAD_PARTICIPANTS_AFTER.toMillis();
            if (moved || dead || restarted) {
                participants.dropOn(room.id(), host);
            }
        }
    }

    private long lastHeard(String worker) {
        return workers.get(worker).map(WorkerRegistry.Worker::lastSeenMs).orElse(0L);
    }

    private boolean hosts(String worker, String room) {
        return workers.status(worker).map(s -> s.roomIds().contains(room)).orElse(false);
    }
}
