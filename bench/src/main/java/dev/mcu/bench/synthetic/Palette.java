package dev.mcu.bench.synthetic;

import java.util.List;

/**
 * The known colours and tones synthetic participants send, one of each per participant, chosen far
 * apart so a tile's colour and a mix's tones can be told apart after encoding, scaling and mixing.
 */
public final class Palette {

    /** A BT.601 limited-range YUV colour with a name for messages. */
    public record Colour(String name, int y, int u, int v) {
        public double distance(int oy, int ou, int ov) {
            double dy = y - oy;
            double du = u - ou;
            double dv = v - ov;
            return Math.sqrt(dy * dy + du * du + dv * dv);
        }
    }

    public static final List<Colour> COLOURS = List.of(
            new Colour("red", 81, 90, 240),
            new Colour("green", 145, 54, 34),
            new Colour("blue", 41, 240, 110),
            new Colour("yellow", 210, 16, 146),
            new Colour("magenta", 106, 202, 222),
            new Colour("cyan", 170, 166, 16),
            new Colour("orange", 146, 53, 193),
            new Colour("purple", 73, 221, 166));

    /**
     * Tone frequencies in Hz, at least 180 Hz apart (a Goertzel filter over 300 ms tells them apart
     * after Opus and mixing); sixteen, for audio rooms of up to sixteen distinct voices. The eight
     * added last keep 80 Hz away from the second and third harmonics of every other.
     */
    public static final List<Integer> TONES = List.of(440, 620, 870, 1130, 1390, 1710, 2030, 2470,
            2890, 3250, 3710, 4310, 4690, 5290, 5630, 6370);

    private Palette() {
    }

    public static Colour colour(int index) {
        return COLOURS.get(index % COLOURS.size());
    }

    public static int tone(int index) {
        return TONES.get(index % TONES.size());
    }

    /** The palette colour nearest to a sample, or null if none is within {@code maxDistance}. */
    public static Colour nearest(int y, int u, int v, double maxDistance) {
        Colour best = null;
        double bestDistance = maxDistance;
        for (Colour c : COLOURS) {
            double d = c.distance(y, u, v);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best;
    }
}
