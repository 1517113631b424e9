package dev.mcu.mixer.video;

import dev.onvoid.webrtc.media.video.NativeI420Buffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws a plan's tiles into an output frame: each participant's picture scaled (once per size,
 * shared by all plans in the tick) and letterboxed into its tile with its name, or a placeholder
 * with its name when it has no video. Owned by one clock thread.
 */
public final class Compositor implements AutoCloseable {

    /** Tiles smaller than this (a crowded grid in a small view) show a placeholder, not a picture. */
    static final int MIN_PICTURE_WIDTH = 32;
    static final int MIN_PICTURE_HEIGHT = 18;

    private final Map<String, VideoInput> inputs = new HashMap<>();
    private final Map<String, List<ScaledPicture>> pictures = new HashMap<>();
    private final Canvas canvas;

    public Compositor(int maxWidth) {
        canvas = new Canvas(maxWidth);
    }

    /** Takes each feed's newest frame and forgets participants that left; once per tick. */
    void refreshInputs(List<? extends VideoFeed> feeds) {
        for (VideoFeed feed : feeds) {
            VideoInput input = inputs.get(feed.id());
            if (input == null) {
                input = new VideoInput(feed.frames());
                inputs.put(feed.id(), input);
            }
            input.refresh();
        }
        if (inputs.size() > feeds.size()) {
            inputs.entrySet().removeIf(e -> {
                if (contains(feeds, e.getKey())) {
                    return false;
                }
                e.getValue().releaseHeld();
                List<ScaledPicture> gone = pictures.remove(e.getKey());
                if (gone != null) {
                    gone.forEach(ScaledPicture::close);
                }
                return true;
            });
        }
    }

    void compose(ViewPlan plan, NativeI420Buffer target, List<? extends VideoFeed> feeds) {
        canvas.target(target);
        canvas.clear();
        for (ViewPlan.PlannedTile planned : plan.tiles) {
            Tile tile = planned.tile();
            VideoFeed feed = feedOf(feeds, tile.participantId());
            VideoInput input = inputs.get(tile.participantId());
            if (feed == null || feed.videoMuted() || input == null || !input.hasFrame()
                    || tile.width() < MIN_PICTURE_WIDTH || tile.height() < MIN_PICTURE_HEIGHT) {
                drawPlaceholder(tile, planned.placeholderLabel());
                continue;
            }
            int[] rect = pictureRect(input.width(), input.height(), tile);
            ScaledPicture picture = picture(tile.participantId(), rect[2], rect[3]);
            picture.update(input);
            canvas.copy(picture, rect[0], rect[1]);
            Label label = planned.label();
            int margin = Math.max(2, rect[3] / 40) & ~1;
            canvas.label(label, rect[0] + margin, rect[1] + rect[3] - label.height - margin,
                    rect[2] - 2 * margin, rect[3] - 2 * margin);
        }
    }

    /** Frees pictures no plan used in this tick (a tile size or a participant went away). */
    void endTick() {
        for (List<ScaledPicture> list : pictures.values()) {
            list.removeIf(p -> {
                if (p.usedThisTick) {
                    p.usedThisTick = false;
                    return false;
                }
                p.close();
                return true;
            });
        }
    }

    private void drawPlaceholder(Tile tile, Label label) {
        int inset = 2;
        if (tile.width() <= 2 * inset || tile.height() <= 2 * inset) {
            return; // Too small for anything but the background.
        }
        canvas.fill(tile.x() + inset, tile.y() + inset, tile.width() - 2 * inset, tile.height() - 2 * inset,
                Canvas.PLACEHOLDER_Y, Canvas.NEUTRAL_C);
        int x = tile.x() + ((tile.width() - label.width) / 2 & ~1);
        int top = tile.y() + ((tile.height() - label.height) / 2 & ~1);
        canvas.label(label, Math.max(tile.x(), x), top, tile.width(), tile.height());
    }

    private ScaledPicture picture(String id, int w, int h) {
        List<ScaledPicture> list = pictures.computeIfAbsent(id, k -> new ArrayList<>(2));
        for (ScaledPicture p : list) {
            if (p.width == w && p.height == h) {
                p.usedThisTick = true;
                return p;
            }
        }
        ScaledPicture p = new ScaledPicture(w, h);
        p.usedThisTick = true;
        list.add(p);
        return p;
    }

    /** Where a source of the given size is drawn in a tile: {x, y, width, height}, centred and letterboxed. */
    public static int[] pictureRect(int srcW, int srcH, Tile tile) {
        int[] fit = fit(srcW, srcH, tile.width(), tile.height());
        return new int[] {tile.x() + ((tile.width() - fit[0]) / 2 & ~1), tile.y() + ((tile.height() - fit[1]) / 2 & ~1),
                fit[0], fit[1]};
    }

    /**
     * The largest size with the source's aspect that fits the tile, its width a multiple of 16:
     * swscale's SIMD paths need aligned widths (a 426-wide tile scaled 25% slower than a 416-wide
     * one, see docs/PERFORMANCE.md), and the few pixels lost widen the letterbox.
     */
    static int[] fit(int srcW, int srcH, int tileW, int tileH) {
        int w = tileW;
        int h = (int) Math.round((double) tileW * srcH / srcW);
        if (h > tileH) {
            h = tileH;
            w = Math.min(tileW, (int) Math.round((double) tileH * srcW / srcH));
        }
        int aw = w >= 16 ? w & ~15 : Math.max(2, w & ~1);
        int ah = (int) Math.round((double) aw * h / w);
        return new int[] {aw, Math.max(2, Math.min(tileH, ah) & ~1)};
    }

    private static VideoFeed feedOf(List<? extends VideoFeed> feeds, String id) {
        for (VideoFeed feed : feeds) {
            if (feed.id().equals(id)) {
                return feed;
            }
        }
        return null;
    }

    private static boolean contains(List<? extends VideoFeed> feeds, String id) {
        return feedOf(feeds, id) != null;
    }

    /** Releases every held frame and native picture; the compositor can be used again afterwards. */
    @Override
    public void close() {
        inputs.values().forEach(VideoInput::releaseHeld);
        inputs.clear();
        pictures.values().forEach(list -> list.forEach(ScaledPicture::close));
        pictures.clear();
    }
}
