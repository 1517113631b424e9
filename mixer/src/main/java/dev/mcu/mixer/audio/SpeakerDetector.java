package dev.mcu.mixer.audio;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Level-based active speaker detection. Levels are smoothed (fast attack, slow release); a
 * participant takes the floor when it has been the loudest, above a speech threshold and clearly
 * above the current speaker, for {@link #SWITCH_MS}, and only after the current speaker has held
 * the floor for the configured hold time. Silence keeps the last speaker, as meetings expect.
 */
public final class SpeakerDetector {

    static final double THRESHOLD_DBFS = -50;
    static final double MARGIN_DB = 3;
    static final int SWITCH_MS = 300;

    private static final double ATTACK = 0.5;
    private static final double RELEASE = 0.08;
    private static final double FLOOR_DBFS = -96;

    private final long holdMs;
    private final Consumer<String> onChange;
    private final Map<String, double[]> levels = new HashMap<>();
    private String speaker;
    private long speakerSinceMs;
    private String candidate;
    private long candidateSinceMs;

    public SpeakerDetector(long holdMs, Consumer<String> onChange) {
        this.holdMs = holdMs;
        this.onChange = onChange;
    }

    /** Records one tick's energy (sum of squares over a chunk) for a participant. */
    public void level(String id, long energy, int samples) {
        double[] state = levels.get(id);
        if (state == null) {
            state = new double[] {FLOOR_DBFS};
            levels.put(id, state);
        }
        double db = energy <= 0 ? FLOOR_DBFS
                : 10 * Math.log10((double) energy / samples / (32768.0 * 32768.0));
        double k = db > state[0] ? ATTACK : RELEASE;
        state[0] += (Math.max(db, FLOOR_DBFS) - state[0]) * k;
    }

    public double levelDbfs(String id) {
        double[] state = levels.get(id);
        return state == null ? FLOOR_DBFS : state[0];
    }

    /** Decides after each tick's levels; calls the listener on the clock thread when the speaker changes. */
    public void decide(long nowMs) {
        String loudest = null;
        double best = THRESHOLD_DBFS;
        for (Map.Entry<String, double[]> e : levels.entrySet()) {
            if (e.getValue()[0] > best) {
                best = e.getValue()[0];
                loudest = e.getKey();
            }
        }
        if (loudest == null || loudest.equals(speaker)) {
            candidate = null;
            return;
        }
        if (speaker != null && best < levelDbfs(speaker) + MARGIN_DB) {
            candidate = null;
            return;
        }
        if (!loudest.equals(candidate)) {
            candidate = loudest;
            candidateSinceMs = nowMs;
        }
        boolean held = speaker == null || nowMs - speakerSinceMs >= holdMs;
        if (held && nowMs - candidateSinceMs >= SWITCH_MS) {
            speaker = loudest;
            speakerSinceMs = nowMs;
            candidate = null;
            onChange.accept(speaker);
        }
    }

    /** Forgets a participant that left; if it was the speaker, the floor is open again. */
    public void forget(String id) {
        levels.remove(id);
        if (id.equals(speaker)) {
            speaker = null;
            onChange.accept(null);
        }
        if (id.equals(candidate)) {
            candidate = null;
        }
    }

    public String speaker() {
        return speaker;
    }
}
