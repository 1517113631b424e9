package dev.mcu.controlplane.placement;

import dev.mcu.events.state.VideoSettings;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchedulerTest {

    @Test
    void aRoomGoesToTheWorkerWithTheMostHeadroom() {
        Scheduler s = new Scheduler();
        s.update(List.of(new Scheduler.Candidate("a", true, 24, 20), new Scheduler.Candidate("b", true, 24, 4),
                new Scheduler.Candidate("c", true, 24, 10)));
        assertEquals(Optional.of("b"), s.place(4));
        assertEquals(16, s.headroom("b"));
        assertEquals(Optional.of("b"), s.place(4));
        assertEquals(Optional.of("c"), s.place(4), "b and c now tie at 12 and 14: c has more");
    }

    @Test
    void drainingAndDeadWorkersGetNothingAndAFullClusterIsUnavailable() {
        Scheduler s = new Scheduler();
        s.update(List.of(new Scheduler.Candidate("draining", false, 100, 0), new Scheduler.Candidate("small", true, 5, 0)));
        assertEquals(Optional.of("small"), s.place(4));
        assertEquals(Optional.empty(), s.place(4), "1 unit left, the draining worker's 100 do not count");
        s.release("small", 4);
        assertEquals(Optional.of("small"), s.place(4));
    }

    @Test
    void a720pStreamCostsMoreThanA180pStream() {
        double hd = StreamCost.of(new VideoSettings(1280, 720, 30));
        double small = StreamCost.of(new VideoSettings(320, 180, 30));
        assertEquals(4.0, hd, 1e-9);
        assertEquals(0.25, small, 1e-9);
        assertEquals(1.0, StreamCost.of(VideoSettings.DEFAULT), 1e-9);
        assertEquals(4 * 4.0, StreamCost.room(new VideoSettings(1280, 720, 30), 16, 4), 1e-9);
    }

    @Test
    void noWorkerEndsAboveItsCapacity() {
        Scheduler s = new Scheduler();
        List<Scheduler.Candidate> workers = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            workers.add(new Scheduler.Candidate("w" + i, true, 10 + i % 7, i % 3));
        }
        s.update(workers);
        Map<String, Double> placed = new HashMap<>();
        int refused = 0;
        for (int r = 0; r < 2000; r++) {
            double cost = (r % 4 == 0) ? 4 : (r % 4 == 1) ? 1 : 0.25;
            Optional<String> w = s.place(cost);
            if (w.isPresent()) {
                placed.merge(w.get(), cost, Double::sum);
            } else {
                refused++;
            }
        }
        assertTrue(refused > 0, "the cluster filled up");
        for (Scheduler.Candidate w : workers) {
            assertTrue(placed.getOrDefault(w.id(), 0.0) + w.reportedCost() <= w.capacity() + 1e-9, w.id());
        }
    }
}
