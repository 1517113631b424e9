package dev.mcu.mixer.video;

import dev.mcu.events.signal.Layout;
import dev.mcu.events.state.VideoSettings;
import dev.mcu.mixer.MixerConfig;

/**
 * One viewer's personal view, as PROTOCOL.md's {@code view} object: what it sees and at what
 * cost. Construct from the wire values with {@link #clamped}, which keeps every number inside
 * what the worker allows and rounds sizes to even numbers (I420 has half-size chroma).
 *
 * @param pin participant shown large in the presentation layout, or null
 */
public record ViewSpec(Layout layout, int width, int height, int fps, int bitrateKbps, boolean includeSelf,
                       String pin) {

    /**
     * The smallest composite: one 16:9 tile large enough for a readable name label (a 12-pixel
     * label in a 90-pixel tile). Smaller asks are raised to it, as LiveKit's and Jitsi's lowest
     * layers are 180p and nothing useful fits below this.
     */
    public static final int MIN_WIDTH = 160;
    public static final int MIN_HEIGHT = 90;
    /** The lowest encoder ceiling: below it libwebrtc's encoders give up on any picture. */
    public static final int MIN_BITRATE_KBPS = 30;

    public ViewSpec {
        if (layout == null || layout == Layout.UNKNOWN) {
            throw new IllegalArgumentException("layout must be grid, speaker or presentation");
        }
        if (width < MIN_WIDTH || height < MIN_HEIGHT || (width & 1) != 0 || (height & 1) != 0) {
            throw new IllegalArgumentException("view size must be even and at least " + MIN_WIDTH + "x" + MIN_HEIGHT
                    + ": " + width + "x" + height);
        }
        if (fps < 1 || bitrateKbps < 1) {
            throw new IllegalArgumentException("fps and bitrate must be positive");
        }
    }

    public ViewSpec withLayout(Layout newLayout) {
        return new ViewSpec(newLayout, width, height, fps, bitrateKbps, includeSelf, pin);
    }

    public ViewSpec withPin(String newPin) {
        return new ViewSpec(layout, width, height, fps, bitrateKbps, includeSelf, newPin);
    }

    /**
     * This view inside a room's own limits (its {@code video} settings: the largest composite and
     * frame rate the room allows), never below the minimum size; null limits change nothing.
     */
    public ViewSpec within(VideoSettings room) {
        if (room == null) {
            return this;
        }
        int w = Math.max(MIN_WIDTH, Math.min(width, room.width())) & ~1;
        int h = Math.max(MIN_HEIGHT, Math.min(height, room.height())) & ~1;
        int f = Math.max(1, Math.min(fps, room.fps()));
        return new ViewSpec(layout, w, h, f, bitrateKbps, includeSelf, pin);
    }

    public static ViewSpec defaults(MixerConfig config) {
        return new ViewSpec(Layout.GRID, config.defaultWidth(), config.defaultHeight(), config.videoFps(),
                config.defaultBitrateKbps(), false, null);
    }

    /**
     * Builds a view from optional wire values (null = not given: the default applies), clamped to
     * the worker's limits.
     */
    public static ViewSpec clamped(MixerConfig config, Layout layout, Integer maxWidth, Integer maxHeight,
                                   Integer maxFps, Integer maxBitrateKbps, Boolean includeSelf, String pin) {
        int w = clamp(maxWidth, config.defaultWidth(), MIN_WIDTH, config.maxWidth()) & ~1;
        int h = clamp(maxHeight, config.defaultHeight(), MIN_HEIGHT, config.maxHeight()) & ~1;
        int fps = clamp(maxFps, config.videoFps(), 1, config.videoFps());
        int kbps = clamp(maxBitrateKbps, config.defaultBitrateKbps(), MIN_BITRATE_KBPS, config.maxBitrateKbps());
        Layout l = layout == null || layout == Layout.UNKNOWN ? Layout.GRID : layout;
        return new ViewSpec(l, w, h, fps, kbps, includeSelf != null && includeSelf, pin);
    }

    private static int clamp(Integer value, int dflt, int min, int max) {
        int v = value == null ? dflt : value;
        return Math.max(min, Math.min(max, v));
    }
}
