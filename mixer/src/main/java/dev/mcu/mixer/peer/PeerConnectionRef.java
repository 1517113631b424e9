package dev.mcu.mixer.peer;

import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.internal.NativeObject;
import org.bytedeco.javacpp.LongPointer;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drops the one native reference webrtc-java 0.14 holds on a closed peer connection.
 * <p>
 * webrtc-java's createPeerConnection keeps the connection with {@code scoped_refptr::release()}
 * (a reference owned by nobody) and its {@code close()} calls {@code Close()} and forgets the
 * pointer, so every peer connection, with its session descriptions, transceivers and DTLS
 * certificate, stays in memory for the life of the process. Upstream (0.15) does the same.
 * <p>
 * The pointer is a {@code webrtc::PeerConnectionInterface}, whose primary base is
 * {@code RefCountInterface} (virtual {@code AddRef()}, then {@code Release()}, first in its vtable on
 * the Itanium C++ ABI). The call goes through the JDK's foreign linker, found reflectively because
 * the build targets Java 21, where it is a preview API; on an older runtime the reference stays, as
 * before. The layout is checked first: an AddRef followed by a Release must report that other
 * references remain (libwebrtc's {@code kOtherRefsRemained}); otherwise nothing more is called and
 * every later connection keeps webrtc-java's behaviour. The release runs on a thread of its own, so
 * that it never runs inside one of the connection's own callbacks, and libwebrtc destroys the
 * connection on its signaling thread.
 */
final class PeerConnectionRef {

    private static final System.Logger LOG = System.getLogger(PeerConnectionRef.class.getName());
    private static final int DROPPED_LAST_REF = 0;
    private static final int OTHER_REFS_REMAINED = 1;
    private static final Linked LINKED = Linked.find();
    private static final ExecutorService RELEASER = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().name("peer-release").daemon().unstarted(r));
    private static final AtomicLong RELEASED = new AtomicLong();
    private static volatile boolean layoutChecked;
    private static volatile boolean disabled = LINKED == null;

    private PeerConnectionRef() {
    }

    /** Native connections freed since the process started (our release dropped the last reference). */
    static long released() {
        return RELEASED.get();
    }

    /** {@link #handleOf} when the pointer cannot be read. */
    static final long UNKNOWN = -1;

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

    /** After close(): drops webrtc-java's reference on the connection at {@code handle}, exactly once. */
    static void releaseClosed(long handle) {
        if (handle == 0 || handle == UNKNOWN || disabled) {
            return;
        }
        RELEASER.execute(() -> {
            try {
                if (!layoutChecked && !checkLayout(handle)) {
                    disabled = true;
                    LOG.log(Level.WARNING, "peer connection reference layout not as expected: closed peer"
                            + " connections stay in memory (webrtc-java 0.14 behaviour)");
                    return;
                }
                layoutChecked = true;
                if (LINKED.call(handle, 1) == DROPPED_LAST_REF) {
                    RELEASED.incrementAndGet();
                }
            } catch (Throwable e) {
                disabled = true;
                LOG.log(Level.WARNING, "peer connection reference not released; closed peer connections stay"
                        + " in memory", e);
            }
        });
    }

    private static boolean checkLayout(long handle) throws Throwable {
        LINKED.call(handle, 0); // AddRef
        int status = LINKED.call(handle, 1); // Release: ours remains
        return status == OTHER_REFS_REMAINED;
    }

    /** A downcall to a virtual function of the object at an address, by vtable slot. */
    private record Linked(MethodHandle intCall, MethodHandle ofAddress) {

        int call(long object, int slot) throws Throwable {
            LongPointer vptr = new LongPointer(new SyncClockEpoch.NativeAddress(object));
            long vtable = vptr.get(0);
            long function = new LongPointer(new SyncClockEpoch.NativeAddress(vtable)).get(slot);
            Object target = ofAddress.invoke(function);
            Object self = ofAddress.invoke(object);
            return (int) intCall.invoke(target, self);
        }

        /** {@code int f(void *)} through java.lang.foreign, or null where the runtime lacks it (before 22). */
        static Linked find() {
            try {
                if (Runtime.version().feature() < 22) {
                    return null;
                }
                Class<?> linker = Class.forName("java.lang.foreign.Linker");
                Class<?> descriptor = Class.forName("java.lang.foreign.FunctionDescriptor");
                Class<?> layout = Class.forName("java.lang.foreign.MemoryLayout");
                Class<?> values = Class.forName("java.lang.foreign.ValueLayout");
                Class<?> option = Class.forName("java.lang.foreign.Linker$Option");
                Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
                Object layouts = Array.newInstance(layout, 1);
                Array.set(layouts, 0, values.getField("ADDRESS").get(null));
                Object fd = descriptor.getMethod("of", layout, layouts.getClass())
                        .invoke(null, values.getField("JAVA_INT").get(null), layouts);
                Object native_ = linker.getMethod("nativeLinker").invoke(null);
                MethodHandle call = (MethodHandle) linker.getMethod("downcallHandle", descriptor,
                        Array.newInstance(option, 0).getClass()).invoke(native_, fd, Array.newInstance(option, 0));
                MethodHandle ofAddress = java.lang.invoke.MethodHandles.publicLookup().unreflect(
                        segment.getMethod("ofAddress", long.class));
                return new Linked(call, ofAddress);
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.log(Level.INFO, "no foreign linker: closed peer connections stay in memory", e);
                return null;
            }
        }
    }
}
