package dev.mcu.bench.analysis;

import dev.mcu.bench.synthetic.Palette;
import dev.mcu.bench.synthetic.SyntheticContent;
import dev.mcu.events.signal.Layout;
import dev.mcu.mixer.video.Compositor;
import dev.mcu.mixer.video.Tile;
import dev.mcu.mixer.video.TileLayout;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tile PSNR of the link bench, on composites drawn here from the source itself. */
class TilePsnrTest {

    private static final SyntheticContent SOURCE = SyntheticContent.cameraLike(Palette.colour(0), 640, 360, 0, 0);

    /** A grid composite of two tiles with the source's frame {@code frame} in the first, the second left dark. */
    private static Picture composite(int width, int height, int frame) {
        byte[] y = new byte[width * height];
        Arrays.fill(y, (byte) 16);
        Tile tile = TileLayout.compute(Layout.GRID, width, height, List.of("a", "b"), null).getFirst();
        int[] rect = Compositor.pictureRect(SOURCE.width, SOURCE.height, tile);
        byte[] scaled = TilePsnr.boxScale(SOURCE.luma(frame), SOURCE.width, SOURCE.height, rect[2], rect[3]);
        for (int r = 0; r < rect[3]; r++) {
            System.arraycopy(scaled, r * rect[2], y, (rect[1] + r) * width + rect[0], rect[2]);
        }
        return new Picture(width, height, y, new byte[width * height / 4], new byte[width * height / 4], 0);
    }

    @Test
    void theSourceItselfScoresHighAndFindsItsFrame() {
        TilePsnr psnr = new TilePsnr(SOURCE, 2, 0, 640, 360);
        assertTrue(psnr.measure(composite(640, 360, 7)) > 60, "the same pixels: no error but rounding");
        assertTrue(psnr.measure(composite(640, 360, 22)) > 60, "whichever frame of the cycle it is");
    }

    @Test
    void aSmallerCompositeLosesDetailAndScoresLower() {
        TilePsnr psnr = new TilePsnr(SOURCE, 2, 0, 640, 360);
        double full = psnr.measure(composite(640, 360, 3));
        double medium = psnr.measure(composite(480, 270, 3));
        double minimal = psnr.measure(composite(160, 90, 3));
        assertTrue(medium < full && minimal < medium, full + " > " + medium + " > " + minimal);
        assertTrue(minimal > 15, "the same picture, only blurred: " + minimal);
    }

    @Test
    void anotherPictureScoresLow() {
        TilePsnr psnr = new TilePsnr(SOURCE, 2, 0, 640, 360);
        Picture noise = composite(640, 360, 0);
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < noise.y().length; i++) {
            noise.y()[i] = (byte) random.nextInt(256);
        }
        assertTrue(psnr.measure(noise) < 12, "random luma: " + psnr.measure(noise));
        assertEquals(Double.NaN, psnr.measure(composite(16, 10, 0)), "too small to hold a tile");
    }
}
