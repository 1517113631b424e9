package dev.mcu.mixer.video;

import dev.onvoid.webrtc.media.video.VideoFrame;

/** Where the video clock delivers a view's composites: a participant's outbound video, or a recording. */
public interface CompositeSink {

    /** Identifies the sink in logs of its failures. */
    String id();

    /** What it wants to see. */
    ViewSpec view();

    /** Whether it wants frames now. */
    boolean receivingVideo();

    /** Takes one composite; the caller keeps its reference (a sink that keeps the frame retains it or copies it). */
    void sendVideo(VideoFrame composite);
}
