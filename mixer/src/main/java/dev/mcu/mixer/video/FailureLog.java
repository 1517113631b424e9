package dev.mcu.mixer.video;

import java.lang.System.Logger.Level;
import java.util.HashSet;
import java.util.Set;

/**
 * Counts failures on a clock thread and logs each distinct one once (by what failed and the kind of
 * error), so a view that fails every tick writes one line, not 30 a second. Owned by one clock thread.
 */
final class FailureLog {

    private static final System.Logger LOG = System.getLogger(FailureLog.class.getName());
    /** Distinct failures remembered; past this, new ones are counted but not logged. */
    private static final int MAX_REMEMBERED = 256;

    private final String what;
    private final Set<String> logged = new HashSet<>();
    private volatile long count;

    FailureLog(String what) {
        this.what = what;
    }

    void failed(Object subject, RuntimeException e) {
        count++;
        String key = subject + "|" + e.getClass().getName();
        if (logged.size() < MAX_REMEMBERED && logged.add(key)) {
            LOG.log(Level.ERROR, what + " failed for " + subject + " (logged once; counted in mcu_composite_failures)",
                    e);
        }
    }

    long count() {
        return count;
    }
}
