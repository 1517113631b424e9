package dev.mcu.signaling.session;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * A participant's id in a room, derived from the room and the token's identity with a keyed hash:
 * every signaling node gives the same identity the same id, so a client whose node died and who
 * joins again through another keeps its id (and the mixer treats it as the same participant), while
 * the id tells the others nothing about the identity. Keyed with the token secret, which all
 * signaling nodes share. Thread-safe.
 */
final class ParticipantIds {

    private final SecretKeySpec key;

    ParticipantIds(String secret) {
        this.key = new SecretKeySpec(("participant-ids\0" + secret).getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** {@code p_} and 96 bits of HMAC-SHA256(room, identity), base64url: a valid id. */
    String of(String room, String identity) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] h = mac.doFinal((room + "\0" + identity).getBytes(StandardCharsets.UTF_8));
            return "p_" + Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(h, 12));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }
}
