package dev.mcu.mixer.record;

import dev.mcu.events.state.RecordingState;
import dev.mcu.mixer.video.ViewSpec;

import java.util.concurrent.TimeUnit;

/**
 * A room's composite and full mix sent live to an RTMP URL (H.264 and AAC in FLV), on a thread of
 * its own. A refused, dropped or stalled connection (a write that does not complete within 10 s)
 * is retried a few times with a growing pause; after the last attempt fails the stream is failed,
 * within about a minute of the trouble. A connection that held for a while earns fresh attempts.
 */
public final class LiveStream extends TappedOutput {

    private static final System.Logger LOG = System.getLogger(LiveStream.class.getName());
    /** The first connection and three reconnections. */
    static final int ATTEMPTS = 4;
    private static final long FIRST_PAUSE_MS = 2_000;
    /** A connection that lasted this long was not the trouble: the count of attempts starts again. */
    private static final long STEADY_MS = 30_000;

    private final String id;
    private final String url;
    /** The URL as logs may show it (no stream key). */
    private final String shownUrl;
    private final Thread thread;
    private final long startedAtMs = System.currentTimeMillis();
    private volatile RecordingState state = RecordingState.STARTING;
    private volatile long durationMs;
    private volatile String error;
    private volatile Long endedAtMs;
    private volatile int attemptsMade;

    /** @param shownUrl the URL as logs may show it: without the stream key */
    public LiveStream(String id, String url, String shownUrl, ViewSpec view) {
        super(new RecordingTap(id, view));
        this.id = id;
        this.url = url;
        this.shownUrl = shownUrl;
        this.thread = Thread.ofPlatform().name("stream-" + id).daemon().unstarted(this::run);
    }

    public LiveStream start() {
        thread.start();
        return this;
    }

    public SegmentRecorder.Progress progress() {
        return new SegmentRecorder.Progress(state, startedAtMs, endedAtMs, durationMs, 0, tap.dropped(), error);
    }

    /** Connection attempts so far. */
    public int attempts() {
        return attemptsMade;
    }

    private void run() {
        String failure = null;
        long pause = FIRST_PAUSE_MS;
        int left = ATTEMPTS;
        long before = 0;
        try {
            while (tap.isOpen() && left-- > 0) {
                attemptsMade++;
                long t0 = System.currentTimeMillis();
                String[] outcome = new String[1];
                long offset = before;
                new SegmentWriter(tap, url, Encoding.RTMP, () -> Long.MAX_VALUE, 0, new SegmentWriter.Events() {
                    @Override
                    public void started() {
                        state = RecordingState.ACTIVE;
                        LiveStream.this.started.complete(null);
                    }

                    @Override
                    public void progress(long bytes, long duration) {
                        durationMs = offset + duration;
                    }

                    @Override
                    public void ended(long bytes, long duration, String why) {
                        durationMs = offset + duration;
                        outcome[0] = why;
                    }
                }).run();
                before = durationMs;
                failure = outcome[0] == null ? null : outcome[0].replace(url, shownUrl); // FFmpeg names the URL
                if (failure == null) {
                    break; // stopped: the stream ended cleanly
                }
                LOG.log(System.Logger.Level.WARNING, "stream {0} to {1}: attempt {2} failed: {3}", id, shownUrl,
                        attemptsMade, failure);
                if (System.currentTimeMillis() - t0 >= STEADY_MS) {
                    left = ATTEMPTS - 1;
                    pause = FIRST_PAUSE_MS;
                }
                if (left > 0 && tap.isOpen()) {
                    TimeUnit.MILLISECONDS.sleep(pause);
                    pause *= 2;
                }
            }
        } catch (InterruptedException e) {
            failure = "interrupted";
        } catch (RuntimeException e) {
            failure = e.toString();
        } finally {
            boolean stopped = !tap.isOpen(); // asked to stop: whatever the last attempt did, it is complete
            tap.shut();
            endedAtMs = System.currentTimeMillis();
            error = stopped || failure == null ? null
                    : "gave up after " + attemptsMade + " connection attempts: " + failure;
            state = error == null ? RecordingState.COMPLETE : RecordingState.FAILED;
            ended.complete(progress());
        }
    }

}
