package dev.mcu.controlplane.placement;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * Places rooms on mixer workers: the ready worker with the most headroom (capacity minus its
 * reported stream cost minus what was placed on it since it last reported) that can take the
 * room's cost. Draining and dead workers get nothing; when no worker has room the answer is empty
 * ({@code unavailable}). Placement is O(log workers): a max-heap by headroom.
 */
public final class Scheduler {

    /** A worker as the scheduler sees it. */
    public record Candidate(String id, boolean ready, double capacity, double reportedCost) {
    }

    private final PriorityQueue<Slot> byHeadroom = new PriorityQueue<>((a, b) -> Double.compare(b.headroom, a.headroom));
    private final Map<String, Slot> slots = new HashMap<>();

    private static final class Slot {
        final String id;
        double headroom;

        Slot(String id, double headroom) {
            this.id = id;
            this.headroom = headroom;
        }
    }

    /** Replaces the view of the workers (on each heartbeat round); reservations restart from reports. */
    public synchronized void update(Collection<Candidate> workers) {
        byHeadroom.clear();
        slots.clear();
        for (Candidate w : workers) {
            if (w.ready()) {
                Slot s = new Slot(w.id(), w.capacity() - w.reportedCost());
                slots.put(w.id(), s);
                byHeadroom.add(s);
            }
        }
    }

    /** The worker for a room of this cost, its headroom reserved; empty when every worker is full. */
    public synchronized Optional<String> place(double cost) {
        return place(cost, cost).map(Placement::workerId);
    }

    /** Where a room went, and how much of the worker's headroom it reserved. */
    public record Placement(String workerId, double reserved) {
    }

    /**
     * The worker with the most headroom if it has at least {@code needed}; it reserves
     * {@code wanted}, or what headroom it has if that is less. Empty when every worker is full.
     */
    public synchronized Optional<Placement> place(double needed, double wanted) {
        Slot best = byHeadroom.peek();
        if (best == null || best.headroom < needed) {
            return Optional.empty();
        }
        byHeadroom.poll();
        double reserved = Math.max(needed, Math.min(wanted, best.headroom));
        best.headroom -= reserved;
        byHeadroom.add(best);
        return Optional.of(new Placement(best.id, reserved));
    }

    /** Gives back a reservation (a room closed, or its placement was not used). */
    public synchronized void release(String workerId, double cost) {
        Slot s = slots.get(workerId);
        if (s != null) {
            byHeadroom.remove(s);
            s.headroom += cost;
            byHeadroom.add(s);
        }
    }

    public synchronized double headroom(String workerId) {
        Slot s = slots.get(workerId);
        return s == null ? Double.NaN : s.headroom;
    }
}
