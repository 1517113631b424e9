package dev.mcu.signaling.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenVerifierTest {

    static final String KEY = "a-test-signing-key-of-at-least-32-bytes";
    final TokenVerifier verifier = new TokenVerifier(KEY);

    static com.auth0.jwt.JWTCreator.Builder token(Instant iat, Instant exp) {
        return JWT.create().withSubject("alice").withClaim("room", "demo").withClaim("name", "Alice")
                .withIssuedAt(iat).withExpiresAt(exp);
    }

    static String valid() {
        Instant now = Instant.now();
        return token(now, now.plusSeconds(60)).sign(Algorithm.HMAC256(KEY));
    }

    void refused(String token) {
        assertThrows(InvalidTokenException.class, () -> verifier.verify(token));
    }

    @Test
    void aValidTokenGrantsItsRoom() {
        JoinGrant g = verifier.verify(valid());
        assertEquals("alice", g.identity());
        assertEquals("demo", g.room());
        assertEquals("Alice", g.name());
        assertTrue(g.publish());
        assertFalse(g.admin());
        Instant now = Instant.now();
        String withGrants = token(now, now.plusSeconds(60))
                .withClaim("grants", Map.of("publish", false, "admin", true)).sign(Algorithm.HMAC256(KEY));
        JoinGrant g2 = verifier.verify(withGrants);
        assertFalse(g2.publish());
        assertTrue(g2.admin());
    }

    @Test
    void expiredAndNotYetValidTokensAreRefused() {
        Instant now = Instant.now();
        refused(token(now.minusSeconds(120), now.minusSeconds(60)).sign(Algorithm.HMAC256(KEY)));
        refused(token(now, now.plusSeconds(600)).withNotBefore(now.plusSeconds(300)).sign(Algorithm.HMAC256(KEY)));
        refused(token(now.plusSeconds(300), now.plusSeconds(600)).sign(Algorithm.HMAC256(KEY)));
    }

    @Test
    void forgedTokensAreRefused() {
        Instant now = Instant.now();
        refused(token(now, now.plusSeconds(60)).sign(Algorithm.HMAC256("another-key-another-key-another-key!!")));
        refused(token(now, now.plusSeconds(60)).sign(Algorithm.HMAC512(KEY)));
        // alg none: the header says so and the signature is empty.
        String[] parts = valid().split("\\.");
        String none = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
        refused(none);
        // The payload changed after signing (another room).
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        refused(parts[0] + "." + b64(payload.replace("demo", "other")) + "." + parts[2]);
    }

    @Test
    void malformedTokensAreRefused() {
        refused(null);
        refused("");
        refused("not.a.token");
        refused("x".repeat(TokenVerifier.MAX_TOKEN_CHARS + 1));
        Instant now = Instant.now();
        refused(JWT.create().withSubject("a").withIssuedAt(now).withExpiresAt(now.plusSeconds(60))
                .sign(Algorithm.HMAC256(KEY))); // no room
        refused(JWT.create().withClaim("room", "demo").withIssuedAt(now).withExpiresAt(now.plusSeconds(60))
                .sign(Algorithm.HMAC256(KEY))); // no sub
        refused(JWT.create().withSubject("a").withClaim("room", "demo").withIssuedAt(now)
                .sign(Algorithm.HMAC256(KEY))); // no exp
        refused(token(now, now.plusSeconds(60)).withClaim("room", "bad room").sign(Algorithm.HMAC256(KEY)));
    }

    @Test
    void shortKeysAreRefusedAtStartUp() {
        assertThrows(IllegalArgumentException.class, () -> new TokenVerifier("short"));
    }

    static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
