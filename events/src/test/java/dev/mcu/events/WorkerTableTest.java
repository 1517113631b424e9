package dev.mcu.events;

import dev.mcu.events.broker.EmbeddedKafka;
import dev.mcu.events.bus.KafkaBus;
import dev.mcu.events.state.WorkerStatus;
import dev.mcu.events.state.WorkerTable;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Liveness is judged by when this process received a worker's heartbeat, not by the worker's own
 * clock: a worker whose clock is an hour slow is alive while it beats, one whose clock is an hour
 * fast is dead once it stops; heartbeats replayed at start count from when they were sent.
 */
class WorkerTableTest {

    @Test
    void livenessFollowsReceiptNotTheWorkersClock() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0); KafkaBus bus = new KafkaBus(kafka.bootstrapServers())) {
            long hour = 3_600_000;
            try (WorkerTable table = new WorkerTable(bus, Clock.systemUTC())) {
                long now = System.currentTimeMillis();
                bus.send(Topics.WORKERS, "slow", Json.write(status("slow", now - hour)));
                bus.send(Topics.WORKERS, "fast", Json.write(status("fast", now + hour)));
                assertTrue(eventually(5_000, () -> table.isAlive("slow") && table.isAlive("fast")),
                        "both alive on receipt, whatever their clocks say");
                Thread.sleep(WorkerTable.DEAD_AFTER_MS + 500);
                assertFalse(table.isAlive("fast"), "a silent worker is dead though its last stamp lies in the future");
                assertTrue(table.isDead("fast"));
            }
            try (WorkerTable replayed = new WorkerTable(bus, Clock.systemUTC())) {
                assertFalse(replayed.isAlive("slow"), "an old heartbeat replayed at start is old");
            }
        }
    }

    private static WorkerStatus status(String id, long sentAtMs) {
        return new WorkerStatus(id, "i-1", "ready", 0, 0, 0, 0, 24, sentAtMs, List.of());
    }

    private static boolean eventually(long ms, java.util.function.BooleanSupplier c) throws InterruptedException {
        long deadline = System.currentTimeMillis() + ms;
        while (System.currentTimeMillis() < deadline) {
            if (c.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return c.getAsBoolean();
    }
}
