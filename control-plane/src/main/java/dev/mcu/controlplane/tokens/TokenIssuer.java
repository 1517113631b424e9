package dev.mcu.controlplane.tokens;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.mcu.events.Ids;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/** Issues join tokens (PROTOCOL.md section 3): HS256 JWTs that signaling verifies with the same key. */
public final class TokenIssuer {

    public static final int DEFAULT_TTL_SECONDS = 6 * 3600;
    public static final int MAX_TTL_SECONDS = 7 * 24 * 3600;

    private final Algorithm algorithm;
    private final Clock clock;

    public TokenIssuer(String secret, Clock clock) {
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException("the token signing key must be at least 32 bytes");
        }
        this.algorithm = Algorithm.HMAC256(secret);
        this.clock = clock;
    }

    public String issue(String identity, String room, String name, int ttlSeconds, Grants grants) {
        Ids.require(room, "room");
        if (ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
            throw new IllegalArgumentException("ttlSeconds must be from 1 to " + MAX_TTL_SECONDS);
        }
        Instant now = clock.instant();
        var jwt = JWT.create()
                .withJWTId(Ids.random("t")) // what a kick revokes
                .withSubject(identity)
                .withClaim("room", room)
                .withIssuedAt(now)
                .withExpiresAt(now.plusSeconds(ttlSeconds))
                .withClaim("grants", Map.of("publish", grants.publish(), "subscribe", grants.subscribe(),
                        "admin", grants.admin()));
        if (name != null) {
            jwt.withClaim("name", name);
        }
        return jwt.sign(algorithm);
    }

    /** What a token allows; participants publish and subscribe, admins may do more. */
    public record Grants(boolean publish, boolean subscribe, boolean admin) {
        public static final Grants PARTICIPANT = new Grants(true, true, false);
    }
}
