package dev.mcu.mixer.video;

import dev.onvoid.webrtc.media.video.VideoFrame;

/** What the video clock needs to know of one participant, as both a source and a viewer. */
public interface VideoFeed {

    String id();

    String name();

    boolean videoMuted();

    /** Where the participant's decoded camera frames arrive. */
    FrameSlot frames();

    /** What this participant wants to see. */
    ViewSpec view();

    /** Whether the participant's outbound video is connected and wants frames now. */
    boolean receivingVideo();

    /** Pushes a composite into this participant's outbound video; the caller keeps its reference. */
    void sendVideo(VideoFrame composite);
}
