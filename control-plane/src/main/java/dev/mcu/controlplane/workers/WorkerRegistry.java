package dev.mcu.controlplane.workers;

import dev.mcu.controlplane.placement.Scheduler;
import dev.mcu.events.state.RoomRecord;
import dev.mcu.events.state.WorkerStatus;
import dev.mcu.events.state.WorkerTable;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The mixer workers as the admin API and the scheduler see them, from their heartbeats. */
public final class WorkerRegistry {

    /** PROTOCOL.md's worker object. */
    public record Worker(String id, String state, int rooms, int participants, double load, long lastSeenMs) {
    }

    private final WorkerTable table;

    public WorkerRegistry(WorkerTable table) {
        this.table = table;
    }

    public List<Worker> all() {
        return table.all().stream().map(this::worker).sorted(Comparator.comparing(Worker::id)).toList();
    }

    public Optional<Worker> get(String id) {
        return table.get(id).map(this::worker);
    }

    /** The worker's latest heartbeat, if it ever sent one. */
    public Optional<WorkerStatus> status(String id) {
        return table.get(id);
    }

    /** Declared dead: heard from once, silent since. */
    public boolean isDead(String id) {
        return table.isDead(id);
    }

    public long heartbeats() {
        return table.heartbeats();
    }

    public boolean isAlive(String id) {
        return table.isAlive(id);
    }

    /** Whether rooms on this worker must move: it died or drains. */
    public boolean mustLeave(String id) {
        return table.mustLeave(id);
    }

    /** Whether rooms placed on this run of the worker must move: it died, drains or was restarted. */
    public boolean mustLeave(String id, String instance) {
        return table.mustLeave(id, instance);
    }

    /** Whether the room's assignment is to a serving worker's current run. */
    public boolean hosts(RoomRecord room) {
        return table.hosts(room);
    }

    /** The worker's current run (instance), or null. */
    public String instance(String id) {
        return table.instance(id);
    }

    /** Whether this run of the worker is its current one. */
    public boolean isCurrent(String id, String instance) {
        return table.isCurrent(id, instance);
    }

    /** When the worker's current run was first heard, on this process's clock. */
    public long instanceSinceMs(String id) {
        return table.instanceSinceMs(id);
    }

    /** Alive and not draining: may keep and take rooms. */
    public boolean isServing(String id) {
        return table.isServing(id);
    }

    /** The workers as the scheduler sees them: only ready, live ones may take rooms. */
    public List<Scheduler.Candidate> candidates() {
        return table.all().stream().map(s -> new Scheduler.Candidate(s.id(),
                WorkerStatus.READY.equals(s.state()) && table.isAlive(s), s.capacity(), s.streamCost())).toList();
    }

    private Worker worker(WorkerStatus s) {
        return new Worker(s.id(), table.isAlive(s) ? s.state() : WorkerStatus.DEAD, s.rooms(), s.participants(),
                Math.min(1, Math.max(s.load(), s.capacity() > 0 ? s.streamCost() / s.capacity() : 0)),
                table.lastHeardMs(s.id()));
    }
}
