package dev.mcu.signaling.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import dev.mcu.events.Ids;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Verifies join tokens: HS256 with the shared key only (so {@code alg: none} and other algorithms
 * fail), {@code exp}, {@code iat}, {@code sub} and {@code room} required, {@code nbf} honoured, a few
 * seconds of leeway for clock skew.
 */
public final class TokenVerifier {

    /** Longer strings are refused before any decoding. */
    public static final int MAX_TOKEN_CHARS = 4096;
    private static final long LEEWAY_SECONDS = 5;

    private final JWTVerifier verifier;

    public TokenVerifier(String secret) {
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException("the token signing key must be at least 32 bytes");
        }
        this.verifier = JWT.require(Algorithm.HMAC256(secret))
                .withClaimPresence("sub")
                .withClaimPresence("room")
                .withClaimPresence("exp")
                .withClaimPresence("iat")
                .acceptLeeway(LEEWAY_SECONDS)
                .build();
    }

    /** @throws InvalidTokenException saying why the token is refused */
    public JoinGrant verify(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            throw new InvalidTokenException("token is missing or too long");
        }
        DecodedJWT jwt;
        try {
            jwt = verifier.verify(token);
        } catch (JWTVerificationException e) {
            throw new InvalidTokenException("token refused: " + e.getMessage());
        }
        String room = jwt.getClaim("room").asString();
        if (!Ids.valid(room)) {
            throw new InvalidTokenException("token room is not a valid id");
        }
        String sub = jwt.getSubject();
        if (sub == null || sub.isBlank() || sub.length() > 256) {
            throw new InvalidTokenException("token sub must be 1-256 characters");
        }
        Map<String, Object> grants = jwt.getClaim("grants").isMissing() ? Map.of() : jwt.getClaim("grants").asMap();
        if (grants == null) {
            throw new InvalidTokenException("token grants must be an object");
        }
        Claim name = jwt.getClaim("name");
        String jti = jwt.getId();
        String tokenId = jti != null && !jti.isBlank() && jti.length() <= 128 ? "jti:" + jti : "sha256:" + digest(token);
        return new JoinGrant(sub, room, name.isMissing() || name.isNull() ? null : name.asString(),
                flag(grants, "publish", true), flag(grants, "subscribe", true), flag(grants, "admin", false),
                tokenId, jwt.getExpiresAtAsInstant().toEpochMilli());
    }

    private static String digest(String token) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static boolean flag(Map<String, Object> grants, String key, boolean dflt) {
        Object v = grants.get(key);
        return v instanceof Boolean b ? b : dflt;
    }
}
