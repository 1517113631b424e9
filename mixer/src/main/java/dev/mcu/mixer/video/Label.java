package dev.mcu.mixer.video;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * A participant's name rendered once into a coverage mask (0..255 per pixel), drawn into tiles
 * many times. Rendering uses Java2D headless; it happens when a layout changes, never per frame.
 */
final class Label {

    final int width;
    final int height;
    final byte[] coverage;

    private Label(int width, int height, byte[] coverage) {
        this.width = width;
        this.height = height;
        this.coverage = coverage;
    }

    /** Renders text at a pixel height (cap to ascent), clipped to maxWidth; sizes are even. */
    static Label render(String text, int pixelHeight, int maxWidth) {
        int h = Math.max(8, pixelHeight) & ~1;
        Font font = new Font(Font.SANS_SERIF, Font.BOLD, Math.max(6, (int) (h * 0.7)));
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D pg = probe.createGraphics();
        FontMetrics metrics = pg.getFontMetrics(font);
        pg.dispose();
        int pad = h / 4;
        String shown = text.isEmpty() ? " " : text;
        int w = Math.min(maxWidth, metrics.stringWidth(shown) + 2 * pad);
        w = Math.max(2, w) & ~1;
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.setFont(font);
        int baseline = (h - metrics.getHeight()) / 2 + metrics.getAscent();
        g.drawString(shown, pad, baseline);
        g.dispose();
        byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        return new Label(w, h, pixels.clone());
    }
}
