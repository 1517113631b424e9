package dev.mcu.app;

import java.util.Set;

/**
 * Admin keys and token secrets that anyone can read in this repository (the dev-mode defaults, the
 * manifests' placeholders). A process outside the single-machine default refuses to start with one
 * of them: whoever has read the README could administer it or mint join tokens. A test checks
 * that every key and secret written in the repository's files is in these lists.
 */
final class PublishedSecrets {

    static final Set<String> ADMIN_KEYS = Set.of("dev-admin-key", "change-me-admin-key");
    static final Set<String> TOKEN_SECRETS = Set.of("dev-only-token-secret-change-me-in-production",
            "change-me-to-at-least-32-random-bytes-please");
    static final Set<String> TURN_SECRETS = Set.of("change-me-turn-secret");
    /** An admin key shorter than this is guessable. */
    static final int MIN_ADMIN_KEY_CHARS = 16;

    private PublishedSecrets() {
    }

    /** @throws IllegalStateException saying which setting to change and how */
    static void refuse(AppSettings settings) {
        if (ADMIN_KEYS.contains(settings.adminKey()) || settings.adminKey().length() < MIN_ADMIN_KEY_CHARS) {
            throw new IllegalStateException("the admin key is published in this repository or shorter than "
                    + MIN_ADMIN_KEY_CHARS + " characters; set a real one, e.g. MCU_ADMIN_KEY=$(openssl rand -hex 24)");
        }
        if (TOKEN_SECRETS.contains(settings.tokenSecret())) {
            throw new IllegalStateException("the token signing secret is published in this repository; set a real "
                    + "one (at least 32 bytes, the same on control plane and signaling), e.g. "
                    + "MCU_TOKENS_SECRET=$(openssl rand -hex 32)");
        }
        if (settings.turn() != null && TURN_SECRETS.stream().anyMatch(settings.turn()::signsWith)) {
            throw new IllegalStateException("the TURN shared secret is published in this repository: anyone could "
                    + "relay through your TURN server; set a real one on signaling and coturn, e.g. "
                    + "MCU_ICE_TURN_SECRET=$(openssl rand -hex 32)");
        }
    }
}
