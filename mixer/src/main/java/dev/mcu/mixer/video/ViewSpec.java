package dev.mcu.mixer.video;

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

    public ViewSpec {
        if (layout == null || layout == Layout.UNKNOWN) {
            throw new IllegalArgumentException("layout must be grid, speaker or presentation");
        }
        if (width < 16 || height < 16 || (width & 1) != 0 || (height & 1) != 0) {
            throw new IllegalArgumentException("view size must be even and at least 16x16: " + width + "x" + height);
        }
        if (fps < 1 || bitrateKbps < 1) {
            throw new IllegalArgumentException("fps and bitrate must be positive");
        }
    }

    public ViewSpec withLayout(Layout newLayout) {
        return new ViewSpec(newLayout, width, height, fps, bitrateKbps, includeSelf, pin);
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
        int w = clamp(maxWidth, config.defaultWidth(), 16, config.maxWidth()) & ~1;
        int h = clamp(maxHeight, config.defaultHeight(), 16, config.maxHeight()) & ~1;
        int fps = clamp(maxFps, config.videoFps(), 1, config.videoFps());
        int kbps = clamp(maxBitrateKbps, config.defaultBitrateKbps(), 30, config.maxBitrateKbps());
        Layout l = layout == null || layout == Layout.UNKNOWN ? Layout.GRID : layout;
        return new ViewSpec(l, w, h, fps, kbps, includeSelf != null && includeSelf, pin);
    }

    private static int clamp(Integer value, int dflt, int min, int max) {
        int v = value == null ? dflt : value;
        return Math.max(min, Math.min(max, v));
    }
}
