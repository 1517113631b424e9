package dev.mcu.signaling.ice;

import dev.mcu.events.signal.IceServer;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The TURN REST API's credentials; coturn itself accepting them is TurnRelayTest's (module app).
 * The expected password was computed outside Java:
 * {@code printf '%s' '1767225600:alice' | openssl dgst -sha1 -hmac 'a-shared-secret-of-coturn' -binary | base64}.
 */
class TurnCredentialsTest {

    private static final Clock NEW_YEAR = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z").minusSeconds(3600),
            ZoneOffset.UTC);

    @Test
    void usernameIsTheExpiryAndTheIdentityAndThePasswordItsHmac() {
        TurnCredentials turn = new TurnCredentials(List.of("turn:turn.example.org:3478"), "a-shared-secret-of-coturn",
                Duration.ofHours(1), NEW_YEAR);
        IceServer s = turn.issue("alice");
        assertEquals("1767225600:alice", s.username());
        assertEquals("MfkFYmgD3/HdhtQphDWKQdQlBIg=", s.credential());
        assertEquals(List.of("turn:turn.example.org:3478"), s.urls());
        assertNotEquals(s.credential(), turn.issue("bob").credential(), "each identity its own");
    }

    @Test
    void badSettingsAreRefused() {
        Clock c = Clock.systemUTC();
        assertThrows(IllegalArgumentException.class, () -> new TurnCredentials(List.of("stun:x:3478"),
                "a-shared-secret-of-coturn", Duration.ofHours(1), c));
        assertThrows(IllegalArgumentException.class, () -> new TurnCredentials(List.of(),
                "a-shared-secret-of-coturn", Duration.ofHours(1), c));
        assertThrows(IllegalArgumentException.class, () -> new TurnCredentials(List.of("turn:x:3478"),
                "short", Duration.ofHours(1), c));
        assertThrows(IllegalArgumentException.class, () -> new TurnCredentials(List.of("turn:x:3478"),
                "a-shared-secret-of-coturn", Duration.ofSeconds(5), c));
        assertThrows(IllegalArgumentException.class, () -> new TurnCredentials(List.of("turn:x:3478"),
                "a-shared-secret-of-coturn", Duration.ofDays(30), c));
    }
}
