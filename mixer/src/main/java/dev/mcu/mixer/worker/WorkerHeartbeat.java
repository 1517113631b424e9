package dev.mcu.mixer.worker;

import com.sun.management.OperatingSystemMXBean;
import dev.mcu.events.Json;
import dev.mcu.events.Topics;
import dev.mcu.events.bus.KafkaBus;
import dev.mcu.events.state.WorkerStatus;
import dev.mcu.mixer.room.Mixer;
import dev.mcu.mixer.room.ParticipantInfo;
import dev.mcu.mixer.room.Room;
import dev.mcu.mixer.video.ViewSpec;

import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Every second, this worker's state and load on the workers topic: what the control plane's
 * scheduler places rooms by, and how it tells a live worker from a dead one.
 */
public final class WorkerHeartbeat implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WorkerHeartbeat.class.getName());
    /** One stream unit: a 640x360 composite at 30 fps. */
    private static final double UNIT = 640.0 * 360 * 30;

    private final String id;
    private final String instance;
    private final Mixer mixer;
    private final KafkaBus bus;
    private final double capacity;
    private final OperatingSystemMXBean os =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("worker-heartbeat").daemon().unstarted(r));
    private volatile boolean draining;
    private volatile boolean stalled;
    private volatile boolean silent;
    private final Map<String, Long> lastTicks = new HashMap<>();

    /** @param capacity the stream cost (in 640x360/30 units) this worker can carry */
    public WorkerHeartbeat(String id, String instance, Mixer mixer, KafkaBus bus, double capacity) {
        this.id = id;
        this.instance = instance;
        this.mixer = mixer;
        this.bus = bus;
        this.capacity = capacity;
        bus.ensureTopic(Topics.WORKERS);
        timer.scheduleAtFixedRate(this::beat, 0, 1, TimeUnit.SECONDS);
    }

    public void drain() {
        draining = true;
        beat();
    }

    public boolean draining() {
        return draining;
    }

    /** The status as of now. */
    public WorkerStatus status() {
        int rooms = 0;
        int participants = 0;
        double cost = 0;
        List<String> roomIds = new ArrayList<>();
        for (Room room : mixer.rooms()) {
            rooms++;
            List<ParticipantInfo> in = room.participants();
            if (!in.isEmpty()) {
                roomIds.add(room.id());
            }
            for (ParticipantInfo p : in) {
                participants++;
                try {
                    cost += cost(room.currentView(p.id()));
                } catch (RuntimeException gone) {
                    // Left between the two reads.
                }
            }
        }
        double load = Math.max(0, os.getProcessCpuLoad());
        return new WorkerStatus(id, instance, draining ? WorkerStatus.DRAINING : WorkerStatus.READY, rooms, participants, load, cost, capacity,
                System.currentTimeMillis(), roomIds);
    }

    /** What one viewer's outbound stream costs, in 640x360/30 stream units (its pixel rate). */
    public static double cost(ViewSpec view) {
        return view.width() * (double) view.height() * view.fps() / UNIT;
    }

    /** Whether a room's clocks ran but completed no tick since the last heartbeat. */
    public boolean stalled() {
        return stalled;
    }

    private void checkClocks() {
        boolean any = false;
        Map<String, Long> now = new HashMap<>();
        for (Room room : mixer.rooms()) {
            long ticks = room.clockTicks();
            now.put(room.id(), ticks);
            Long before = lastTicks.get(room.id());
            if (room.clocksRunning() && before != null && before == ticks) {
                any = true;
                LOG.log(Level.WARNING, "room {0}: clocks completed no tick in a second", room.id());
            }
        }
        lastTicks.clear();
        lastTicks.putAll(now);
        stalled = any;
    }

    /**
     * Stops or resumes sending heartbeats while everything else goes on, as a worker stalled by a
     * long GC pause or cut off by a partition would look (for failover and fencing tests).
     */
    public void silence(boolean silent) {
        this.silent = silent;
    }

    private synchronized void beat() {
        if (silent) {
            return;
        }
        try {
            checkClocks();
            bus.send(Topics.WORKERS, id, Json.write(status()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "heartbeat failed", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
