package dev.mcu.mixer.video;

/** What the video clock needs to know of one participant, as both a source and a viewer. */
public interface VideoFeed extends CompositeSink {

    String name();

    boolean videoMuted();

    /** Where the participant's decoded camera frames arrive. */
    FrameSlot frames();

    /** Whether the participant's outbound video is connected and wants frames now. */
    @Override
    boolean receivingVideo();
}
