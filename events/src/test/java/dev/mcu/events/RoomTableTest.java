package dev.mcu.events;

import dev.mcu.events.broker.EmbeddedKafka;
import dev.mcu.events.bus.KafkaBus;
import dev.mcu.events.state.RoomRecord;
import dev.mcu.events.state.RoomTable;
import dev.mcu.events.state.VideoSettings;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Room state lives in Kafka: a new table (a restarted control plane) rebuilds exactly what was written. */
class RoomTableTest {

    @Test
    void aRestartedTableSeesEveryWriteAndDeletion() {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0)) {
            try (KafkaBus bus = new KafkaBus(kafka.bootstrapServers()); RoomTable table = new RoomTable(bus)) {
                table.put(new RoomRecord("a", "A", 4, "grid", VideoSettings.DEFAULT, "w1", 1));
                table.put(new RoomRecord("b", "B", 4, "grid", VideoSettings.DEFAULT, "w1", 2));
                assertEquals("A", table.get("a").orElseThrow().name(), "read your own write at once");
                table.put(table.get("a").orElseThrow().with("A2", 9, "speaker"));
                table.delete("b");
                assertTrue(table.get("b").isEmpty(), "a deletion shows at once");
            }
            try (KafkaBus bus = new KafkaBus(kafka.bootstrapServers()); RoomTable again = new RoomTable(bus)) {
                RoomRecord a = again.get("a").orElseThrow();
                assertEquals("A2", a.name());
                assertEquals(9, a.maxParticipants());
                assertEquals("speaker", a.layout());
                assertTrue(again.get("b").isEmpty());
                assertEquals(1, again.all().size());
            }
        }
    }
}
