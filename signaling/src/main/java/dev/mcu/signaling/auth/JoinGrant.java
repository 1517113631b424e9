package dev.mcu.signaling.auth;

/**
 * What a verified join token allows (PROTOCOL.md section 3).
 *
 * @param identity the token's {@code sub}
 * @param name     the display name the token carries, or null
 * @param tokenId  the token's {@code jti}, or a digest of the token when it has none: what a kick revokes
 * @param expiresAtMs the token's {@code exp}
 */
public record JoinGrant(String identity, String room, String name, boolean publish, boolean subscribe,
                        boolean admin, String tokenId, long expiresAtMs) {
}
