package dev.mcu.mixer.peer;

import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.internal.NativeObject;

import java.lang.System.Logger.Level;
import java.lang.reflect.Field;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The peer connections one factory has closed, whose last native reference it drops.
 * <p>
 * webrtc-java's createPeerConnection keeps the connection with {@code scoped_refptr::release()}
 * (a reference owned by nobody) and its {@code close()} calls {@code Close()} and forgets the
 * pointer, so every peer connection, with its session descriptions, transceivers and DTLS
 * certificate, stayed in memory for the life of the process. Upstream (0.15) does the same.
 * <p>
 * The pointer is a {@code webrtc::PeerConnectionInterface}, whose primary base is
 * {@code RefCountInterface} (virtual {@code AddRef()}, then {@code Release()}, first in its vtable on
 * the Itanium C++ ABI). The call goes through {@link VirtualCall}; on a runtime without the JDK's
 * foreign linker the references stay, as before. The layout is checked once: an AddRef followed by a
 * Release must report that other references remain (libwebrtc's {@code kOtherRefsRemained});
 * otherwise nothing more is called and every connection keeps webrtc-java's behaviour.
 * <p>
 * Each release waits {@link #GRACE_MS} on a thread of its own: never inside one of the connection's
 * own callbacks, nor under a call still in one of its senders (encoder limits, a stats poll) that
 * read its Java wrapper just before close(). The connection needs its factory's threads to be
 * destroyed, so the factory drops what is still pending before it is disposed ({@link #releaseAll}).
 */
final class ClosedConnections {

    static final long GRACE_MS = 3_000;
    /** {@link #handleOf} when the pointer cannot be read. */
    static final long UNKNOWN = -1;

    private static final System.Logger LOG = System.getLogger(ClosedConnections.class.getName());
    private static final int DROPPED_LAST_REF = 0;
    private static final int OTHER_REFS_REMAINED = 1;
    private static final VirtualCall RELEASE = VirtualCall.find();
    private static final ScheduledExecutorService LATER = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("peer-release").daemon().unstarted(r));
    private static final AtomicLong FREED = new AtomicLong();
    private static volatile boolean layoutChecked;
    private static volatile boolean disabled = RELEASE == null;

    /** Handles closed and not yet released; guarded by this. */
    private final Set<Long> pending = new HashSet<>();
    private boolean factoryDisposed;
    private int inFlight; // scheduled releases running now; guarded by this

    /** Native peer connections freed in this process (a release dropped the last reference). */
    static long freed() {
        return FREED.get();
    }

    /** The connection's native pointer, 0 once closed; read it before close(), which forgets it. */
    static long handleOf(RTCPeerConnection pc) {
        try {
            Field field = NativeObject.class.getDeclaredField("nativeHandle");
            field.setAccessible(true);
            return field.getLong(pc);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return UNKNOWN;
        }
    }

    /** After close(): drops webrtc-java's reference on the connection at {@code handle} in a while. */
    void releaseLater(long handle) {
        if (handle == 0 || handle == UNKNOWN || disabled) {
            return;
        }
        synchronized (this) {
            if (factoryDisposed || !pending.add(handle)) {
                return;
            }
        }
        LATER.schedule(() -> {
            synchronized (this) {
                if (!pending.remove(handle)) {
                    return; // released by releaseAll
                }
                inFlight++;
            }
            try {
                release(handle); // outside the lock: it waits for the factory's signaling thread
            } finally {
                synchronized (this) {
                    inFlight--;
                    notifyAll();
                }
            }
        }, GRACE_MS, TimeUnit.MILLISECONDS);
    }

    /** Before the factory is disposed: releases what is pending now, on the calling thread. */
    void releaseAll() {
        List<Long> now;
        synchronized (this) {
            factoryDisposed = true;
            now = List.copyOf(pending);
            pending.clear();
            while (inFlight > 0) { // a scheduled release still needs the factory's threads
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        for (long handle : now) {
            release(handle);
        }
    }

    private static void release(long handle) {
        if (disabled) {
            return;
        }
        try {
            if (!layoutChecked) {
                RELEASE.callInt(handle, 0); // AddRef
                if (RELEASE.callInt(handle, 1) != OTHER_REFS_REMAINED) { // Release: ours remains
                    disabled = true;
                    LOG.log(Level.WARNING, "peer connection reference layout not as expected: closed peer"
                            + " connections stay in memory (webrtc-java 0.14 behaviour)");
                    return;
                }
                layoutChecked = true;
            }
            if (RELEASE.callInt(handle, 1) == DROPPED_LAST_REF) {
                FREED.incrementAndGet();
            }
        } catch (Throwable e) {
            disabled = true;
            LOG.log(Level.WARNING, "peer connection reference not released; closed peer connections stay"
                    + " in memory", e);
        }
    }
}
