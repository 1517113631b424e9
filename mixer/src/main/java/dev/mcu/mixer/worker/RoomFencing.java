package dev.mcu.mixer.worker;

import dev.mcu.events.state.RoomRecord;
import dev.mcu.events.state.RoomTable;
import dev.mcu.mixer.room.Mixer;
import dev.mcu.mixer.room.Room;

import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * Which worker each room is assigned to, under which epoch, as this worker reads the rooms topic;
 * once a second, every room hosted here but assigned elsewhere is handed to {@code stop}. That
 * happens to a worker that was declared dead (a stall, a partition) while its rooms moved on. A
 * draining worker lets go of its rooms as their participants move, so it is not fenced.
 */
final class RoomFencing implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RoomFencing.class.getName());

    private final String workerId;
    private final String instance;
    private final RoomTable assignments;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("worker-fencing").daemon().unstarted(r));

    /** @param assignments the rooms topic, replayed; checks {@code mixer}'s rooms against it every second */
    RoomFencing(String workerId, String instance, RoomTable assignments, Mixer mixer, BooleanSupplier draining,
                BiConsumer<String, RoomRecord> stop) {
        this.workerId = workerId;
        this.instance = instance;
        this.assignments = assignments;
        timer.scheduleWithFixedDelay(() -> {
            try {
                if (draining.getAsBoolean()) {
                    return;
                }
                for (Room room : mixer.rooms()) {
                    assignedElsewhere(room.id()).ifPresent(record -> stop.accept(room.id(), record));
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "worker " + workerId + ": fencing check failed", e);
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    /** The room's record if it names another worker than this one, or another run of it. */
    Optional<RoomRecord> assignedElsewhere(String room) {
        return assignments.get(room).filter(r -> r.workerId() != null && (!r.workerId().equals(workerId)
                || (r.workerInstance() != null && !r.workerInstance().equals(instance))));
    }

    /** Stops the checks (a killed worker checks nothing), leaving the table readable. */
    void stop() {
        timer.shutdownNow();
    }

    @Override
    public void close() {
        stop();
        assignments.close();
    }
}
