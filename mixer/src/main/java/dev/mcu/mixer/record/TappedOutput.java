package dev.mcu.mixer.record;

import dev.mcu.mixer.video.ViewSpec;
import dev.onvoid.webrtc.media.video.VideoFrame;

import java.util.concurrent.CompletableFuture;

/** What a recording's segment and a live stream share: the tap the clocks feed, and their ending. */
abstract class TappedOutput implements RoomOutput {

    final RecordingTap tap;
    final CompletableFuture<SegmentRecorder.Progress> ended = new CompletableFuture<>();
    final CompletableFuture<Void> started = new CompletableFuture<>();

    TappedOutput(RecordingTap tap) {
        this.tap = tap;
    }

    @Override
    public CompletableFuture<Void> started() {
        return started;
    }

    /** Stops taking media; completes once the file or the connection is closed. */
    @Override
    public CompletableFuture<SegmentRecorder.Progress> stop() {
        tap.shut();
        return ended;
    }

    @Override
    public boolean isEnded() {
        return ended.isDone();
    }

    @Override
    public String id() {
        return tap.id();
    }

    @Override
    public ViewSpec view() {
        return tap.view();
    }

    @Override
    public boolean receivingVideo() {
        return tap.receivingVideo();
    }

    @Override
    public void sendVideo(VideoFrame composite) {
        tap.sendVideo(composite);
    }

    @Override
    public void sendMix(byte[] pcm, long deadlineNanos) {
        tap.sendMix(pcm, deadlineNanos);
    }

    @Override
    public void audioLag(double ms) {
        tap.audioLag(ms);
    }

    @Override
    public void roomClosed() {
        stop();
    }
}
