package dev.mcu.signaling.ice;

import dev.mcu.events.signal.IceServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * Time-limited TURN credentials of the TURN REST API scheme (draft-uberti-behave-turn-rest, as
 * coturn's {@code --use-auth-secret} checks them): the username is {@code <expiry>:<identity>}
 * (expiry in Unix seconds), the password base64(HMAC-SHA1(shared secret, username)). The TURN server
 * shares only the secret, so it keeps no user list and a leaked credential expires by itself.
 * Thread-safe.
 */
public final class TurnCredentials {

    /** Shortest and longest lifetime a deployment may configure. */
    public static final Duration MIN_TTL = Duration.ofMinutes(1);
    public static final Duration MAX_TTL = Duration.ofDays(7);

    private final List<String> urls;
    private final SecretKeySpec key;
    private final Duration ttl;
    private final Clock clock;

    /**
     * @param urls   the TURN server's {@code turn:}/{@code turns:} URLs
     * @param secret coturn's {@code static-auth-secret}
     * @param ttl    how long a credential is valid: it must outlast a call, since ICE restarts
     *               (a room that moved to another worker) allocate again with the same one
     */
    public TurnCredentials(List<String> urls, String secret, Duration ttl, Clock clock) {
        if (urls.isEmpty() || urls.stream().anyMatch(u -> !u.matches("turns?:[^\\s]+"))) {
            throw new IllegalArgumentException("TURN URLs must be turn: or turns: URLs: " + urls);
        }
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("the TURN shared secret must be at least 16 characters");
        }
        if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("the TURN credential lifetime must be from 60 s to 7 days: " + ttl);
        }
        this.urls = List.copyOf(urls);
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1");
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The ICE server entry for one participant, valid for the configured lifetime from now. */
    public IceServer issue(String identity) {
        long expiry = clock.instant().plus(ttl).getEpochSecond();
        String username = expiry + ":" + identity;
        return new IceServer(urls, username, password(username));
    }

    /** Whether these credentials are made with this secret (a published placeholder is refused). */
    public boolean signsWith(String secret) {
        return java.security.MessageDigest.isEqual(key.getEncoded(), secret.getBytes(StandardCharsets.UTF_8));
    }

    String password(String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(key);
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA1 is part of every JDK", e);
        }
    }
}
