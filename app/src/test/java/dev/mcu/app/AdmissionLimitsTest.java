package dev.mcu.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcu.bench.signaling.ProtocolClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A worker bounds its libwebrtc factories (one per participant, six native threads each): past
 * {@code mcu.mixer.peers.max} a join is refused with {@code unavailable} at once, the participants
 * in place carry on, and a freed place takes the next join.
 */
class AdmissionLimitsTest {

    @Test
    void joinsPastTheWorkersPeerLimitAreUnavailableAtOnce() throws Exception {
        try (DevServer server = new DevServer(Map.of("mcu.mixer.peers.max", "2"));
             ProtocolClient a = server.joined("limits", "A");
             ProtocolClient b = server.joined("limits-other", "B");
             ProtocolClient c = server.client()) {
            long started = System.nanoTime();
            JsonNode refused = c.join(server.token("limits", "c"), "C", null);
            long ms = (System.nanoTime() - started) / 1_000_000;
            assertEquals("unavailable", refused.path("code").asText(), refused.toString());
            assertTrue(ms < 2_000, "refused at once, not after a timeout: " + ms + " ms");
            for (ProtocolClient alive : new ProtocolClient[] {a, b}) {
                alive.sendRaw("{\"type\":\"ping\",\"id\":\"still\"}");
                assertEquals("still", alive.await("pong", Duration.ofSeconds(5)).path("id").asText());
            }
            b.sendRaw("{\"type\":\"leave\"}");
            assertTrue(DevServer.eventually(10_000, () -> {
                try {
                    return "joined".equals(ProtocolClient.type(c.join(server.token("limits", "c"), "C", null)));
                } catch (Exception e) {
                    return false;
                }
            }), "the freed place takes the next join");
        }
    }
}
