package dev.mcu.mixer.record;

import dev.mcu.mixer.room.RoomTap;

import java.util.concurrent.CompletableFuture;

/** A recording's segment or a live stream, as the worker's recordings loop drives it. */
public interface RoomOutput extends RoomTap {

    /** Completes once it can take media: attach it to the room then (until then it would only drop). */
    CompletableFuture<Void> started();

    /** Stops taking media; completes when its file or connection is closed. */
    CompletableFuture<SegmentRecorder.Progress> stop();

    boolean isEnded();

    SegmentRecorder.Progress progress();
}
