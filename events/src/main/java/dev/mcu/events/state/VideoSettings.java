package dev.mcu.events.state;

/** A room's composite defaults: the size and rate views get when they ask for nothing. */
public record VideoSettings(int width, int height, int fps) {

    public static final VideoSettings DEFAULT = new VideoSettings(640, 360, 30);
}
