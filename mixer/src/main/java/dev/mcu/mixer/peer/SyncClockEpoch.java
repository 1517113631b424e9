package dev.mcu.mixer.peer;

import dev.onvoid.webrtc.internal.NativeObject;
import dev.onvoid.webrtc.media.SyncClock;
import org.bytedeco.javacpp.LongPointer;

import java.lang.reflect.Field;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Puts a webrtc-java {@link SyncClock} on libwebrtc's own time base, so that receivers can lip-sync
 * the mix.
 * <p>
 * webrtc-java 0.14's custom video source stamps every frame with its SyncClock: microseconds since
 * the clock was created ({@code steady_clock::now() - start_time_}). libwebrtc takes that as the
 * frame's capture time on its monotonic clock ({@code rtc::TimeMicros()}, time since boot) and
 * extrapolates the RTP timestamp of each video RTCP sender report from it, so every report is off
 * by the machine's uptime at the clock's creation, and receivers could not lip-sync the mix (they
 * ignored the reports or synced to a bogus offset; docs/PERFORMANCE.md). No newer
 * webrtc-java is served here and the timestamp a Java frame carries is discarded.
 * <p>
 * The native SyncClock is one {@code std::chrono::steady_clock::time_point} (8 bytes of
 * nanoseconds, no vtable); steady_clock, libwebrtc's clock and {@link System#nanoTime()} all read
 * CLOCK_MONOTONIC on Linux. Setting the start to 0 makes the clock read time since boot, which is
 * what libwebrtc expects. The layout is checked before and after the write: the start must be
 * within a minute of {@code System.nanoTime()}, and afterwards the clock must read
 * {@code System.nanoTime()} to within a second; otherwise the start is put back and the clock keeps
 * webrtc-java's behaviour (working media that receivers cannot lip-sync).
 */
final class SyncClockEpoch {

    private static final Logger LOG = Logger.getLogger(SyncClockEpoch.class.getName());
    private static final long CREATED_WITHIN_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final long READS_WITHIN_MICROS = TimeUnit.SECONDS.toMicros(1);

    private SyncClockEpoch() {
    }

    /** Returns true when the clock now reads libwebrtc's monotonic time (microseconds since boot). */
    static boolean alignWithLibwebrtc(SyncClock clock) {
        long handle;
        try {
            Field field = NativeObject.class.getDeclaredField("nativeHandle");
            field.setAccessible(true);
            handle = field.getLong(clock);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.WARNING, "SyncClock handle not readable; receivers cannot lip-sync the mix", e);
            return false;
        }
        if (handle == 0) {
            return false;
        }
        LongPointer startNanos = new LongPointer(new NativeAddress(handle));
        long start = startNanos.get(0);
        if (Math.abs(System.nanoTime() - start) > CREATED_WITHIN_NANOS) {
            LOG.warning(() -> "SyncClock layout not as expected (start " + start
                    + " ns); receivers cannot lip-sync the mix");
            return false;
        }
        startNanos.put(0, 0L);
        long drift = clock.getTimestampUs() - TimeUnit.NANOSECONDS.toMicros(System.nanoTime());
        if (Math.abs(drift) > READS_WITHIN_MICROS) {
            startNanos.put(0, start);
            LOG.warning(() -> "SyncClock did not follow its start (" + drift
                    + " us off); receivers cannot lip-sync the mix");
            return false;
        }
        return true;
    }

    /** A JavaCPP pointer to memory this class does not own (never deallocated by JavaCPP). */
    /** A JavaCPP pointer at a raw address (also read by {@link ClosedConnections}). */
    static final class NativeAddress extends org.bytedeco.javacpp.Pointer {
        NativeAddress(long address) {
            this.address = address;
            this.limit = 1;
            this.capacity = 1;
        }
    }
}
