package dev.mcu.signaling.auth;

/**
 * What a verified join token allows (PROTOCOL.md section 3).
 *
 * @param identity the token's {@code sub}
 * @param name     the display name the token carries, or null
 */
public record JoinGrant(String identity, String room, String name, boolean publish, boolean subscribe,
                        boolean admin) {
}
