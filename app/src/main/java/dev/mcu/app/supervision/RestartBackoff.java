package dev.mcu.app.supervision;

import java.time.Duration;

/**
 * When to restart a worker that died. One that had served for {@link #STABLE} after becoming ready
 * is restarted after the minimum delay, however often that happens: its rooms are waiting. One that
 * died before that (a crash at start-up, or a loop of them) waits twice as long each time, up to the
 * maximum, so a worker that cannot start does not spin the machine.
 */
final class RestartBackoff {

    /** A run this long after ready counts as healthy. */
    static final Duration STABLE = Duration.ofSeconds(5);

    private final Duration min;
    private final Duration max;
    private int youngDeaths;

    RestartBackoff(Duration min, Duration max) {
        this.min = min;
        this.max = max;
    }

    /**
     * @param servedFor how long the run served after becoming ready; null if it never did
     * @return the delay before the next start
     */
    Duration afterDeath(Duration servedFor) {
        if (servedFor != null && servedFor.compareTo(STABLE) >= 0) {
            youngDeaths = 0;
            return min;
        }
        youngDeaths++;
        long base = Math.max(min.toMillis(), 250);
        long delay = base << Math.min(youngDeaths - 1, 20);
        return Duration.ofMillis(Math.min(delay, max.toMillis()));
    }
}
