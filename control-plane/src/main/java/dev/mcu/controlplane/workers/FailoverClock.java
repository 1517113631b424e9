package dev.mcu.controlplane.workers;

import dev.mcu.controlplane.rooms.ParticipantTable;
import dev.mcu.events.state.RoomEvent;
import dev.mcu.events.state.WorkerStatus;
import dev.mcu.events.state.WorkerTable;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Measures failovers: from a worker run's death (its supervisor's notice, or its last heartbeat)
 * to the last of its participants back in the mix, which is when that participant's new worker
 * reports {@code participant-media} (its peer connected and the mix is on the wire). A participant
 * that leaves meanwhile is not waited for; a failover still incomplete after {@link #GIVE_UP} is
 * counted as incomplete.
 */
public final class FailoverClock {

    private static final System.Logger LOG = System.getLogger(FailoverClock.class.getName());
    static final Duration GIVE_UP = Duration.ofMinutes(2);

    /** A worker run's death and the participants that were on it. */
    private static final class Failover {
        final String workerId;
        final long diedAtMs;
        final Set<ParticipantTable.Seat> waiting;
        final int participants;
        long lastBackMs;

        Failover(String workerId, long diedAtMs, Set<ParticipantTable.Seat> waiting) {
            this.workerId = workerId;
            this.diedAtMs = diedAtMs;
            this.waiting = new HashSet<>(waiting);
            this.participants = waiting.size();
        }
    }

    private record Seen(String instance, boolean alive, long lastHeardMs) {
    }

    private final WorkerTable workers;
    private final ParticipantTable participants;
    private final Clock clock;
    private final Map<String, Seen> seen = new HashMap<>();
    private final List<Failover> open = new ArrayList<>();
    private final List<Consumer<Duration>> listeners = new CopyOnWriteArrayList<>();
    private long completed;
    private long incomplete;

    public FailoverClock(WorkerTable workers, ParticipantTable participants, Clock clock) {
        this.workers = workers;
        this.participants = participants;
        this.clock = clock;
        participants.onEvent(this::event);
    }

    /** Told each completed failover's recovery time (on the control plane's housekeeping or events thread). */
    public void onRecovered(Consumer<Duration> listener) {
        listeners.add(listener);
    }

    public synchronized long completed() {
        return completed;
    }

    public synchronized long incomplete() {
        return incomplete;
    }

    /** Notices deaths since the last call; call periodically (every few hundred ms) from one thread. */
    public synchronized void poll() {
        for (WorkerStatus s : workers.all()) {
            Seen before = seen.get(s.id());
            boolean alive = workers.isAlive(s);
            if (before != null && before.alive() && (!alive || !Objects.equals(before.instance(), s.instance()))) {
                boolean notice = WorkerStatus.DEAD.equals(s.state()) && Objects.equals(s.instance(), before.instance());
                long diedAt = notice ? s.sentAtMs() : before.lastHeardMs();
                Set<ParticipantTable.Seat> on = participants.on(new ParticipantTable.Host(s.id(), before.instance()));
                if (!on.isEmpty()) {
                    LOG.log(Level.INFO, "worker {0} (instance {1}) died with {2} participants on it", s.id(),
                            before.instance(), on.size());
                    open.add(new Failover(s.id(), diedAt, on));
                }
            }
            seen.put(s.id(), new Seen(s.instance(), alive, workers.lastHeardMs(s.id())));
        }
        long now = clock.millis();
        for (Iterator<Failover> it = open.iterator(); it.hasNext(); ) {
            Failover f = it.next();
            if (now - f.diedAtMs > GIVE_UP.toMillis()) {
                LOG.log(Level.WARNING, "worker {0}: {1} of its {2} participants not back in the mix {3} s after"
                        + " its death", f.workerId, f.waiting.size(), f.participants, GIVE_UP.toSeconds());
                incomplete++;
                it.remove();
            }
        }
    }

    private void event(RoomEvent e) {
        boolean media = RoomEvent.MEDIA.equals(e.type());
        if (!media && !RoomEvent.LEFT.equals(e.type()) || e.participantId() == null) {
            return;
        }
        List<Duration> done = new ArrayList<>();
        synchronized (this) {
            ParticipantTable.Seat seat = new ParticipantTable.Seat(e.room(), e.participantId());
            for (Iterator<Failover> it = open.iterator(); it.hasNext(); ) {
                Failover f = it.next();
                if (e.atMs() < f.diedAtMs || !f.waiting.remove(seat)) {
                    continue;
                }
                if (media) {
                    f.lastBackMs = Math.max(f.lastBackMs, e.atMs());
                }
                if (f.waiting.isEmpty()) {
                    it.remove();
                    if (f.lastBackMs > 0) {
                        completed++;
                        Duration took = Duration.ofMillis(f.lastBackMs - f.diedAtMs);
                        LOG.log(Level.INFO, "worker {0}: its {1} participants were back in the mix {2} ms after its"
                                + " death", f.workerId, f.participants, took.toMillis());
                        done.add(took);
                    }
                }
            }
        }
        done.forEach(this::tell);
    }

    private void tell(Duration took) {
        for (Consumer<Duration> l : listeners) {
            try {
                l.accept(took);
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, "recovery listener failed", ex);
            }
        }
    }
}
