package dev.mcu.events.state;

import dev.mcu.events.Json;
import dev.mcu.events.Topics;
import dev.mcu.events.bus.KafkaBus;
import dev.mcu.events.bus.TopicTail;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Join tokens that may not join again: the token of a participant kicked from its room, until the
 * token expires. Kept on the compacted topic {@link Topics#REVOKED_TOKENS} so every signaling node
 * refuses it, whichever one the client reconnects to; this node sees its own revocations at once.
 */
public final class RevokedTokens implements AutoCloseable {

    /** A revoked token: the room it was for and when it expires anyway. */
    public record Revocation(String room, long expiresAtMs) {
    }

    private final Map<String, Revocation> revoked = new ConcurrentHashMap<>();
    private final KafkaBus bus;
    private final Clock clock;
    private final TopicTail tail;

    public RevokedTokens(KafkaBus bus, Clock clock) {
        this.bus = bus;
        this.clock = clock;
        this.tail = bus.replay(Topics.REVOKED_TOKENS, (id, value) -> {
            if (value == null) {
                revoked.remove(id);
            } else {
                revoked.put(id, Json.read(value, Revocation.class));
            }
        });
        try {
            tail.awaitCaughtUp(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The token may not join its room again before it expires. */
    public void revoke(String tokenId, String room, long expiresAtMs) {
        Revocation r = new Revocation(room, expiresAtMs);
        revoked.put(tokenId, r);
        bus.send(Topics.REVOKED_TOKENS, tokenId, Json.write(r));
    }

    public boolean isRevoked(String tokenId) {
        Revocation r = revoked.get(tokenId);
        if (r == null) {
            return false;
        }
        if (r.expiresAtMs() < clock.millis()) {
            revoked.remove(tokenId, r); // expired: refused by its expiry from now on anyway
            return false;
        }
        return true;
    }

    @Override
    public void close() {
        tail.close();
    }
}
