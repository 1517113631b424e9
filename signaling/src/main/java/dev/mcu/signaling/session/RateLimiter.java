package dev.mcu.signaling.session;

/**
 * A token bucket: {@code perSecond} messages on average, bursts of {@code burst} (a browser trickles
 * a dozen candidates at once). Used by one session's reader only, so not thread-safe.
 */
final class RateLimiter {

    private final double perNano;
    private final double burst;
    private double tokens;
    private long last;

    RateLimiter(int perSecond, int burst) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = System.nanoTime();
    }

    boolean tryAcquire() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - last) * perNano);
        last = now;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
