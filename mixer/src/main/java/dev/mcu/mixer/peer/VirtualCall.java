package dev.mcu.mixer.peer;

import org.bytedeco.javacpp.LongPointer;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Array;

/**
 * A call through slot n of the vtable of a C++ object at a native address (Itanium C++ ABI: the
 * object's first word points at its vtable), for the few libwebrtc methods webrtc-java 0.14 does not
 * expose. The calls go through the JDK's foreign linker, found reflectively because the build targets
 * Java 21, where it is a preview API; {@link #find()} is null on an older runtime. Every caller checks
 * the layout it relies on before trusting a slot (see {@link ClosedConnections}, {@link AudioDeviceBypass}).
 */
final class VirtualCall {

    private static final System.Logger LOG = System.getLogger(VirtualCall.class.getName());

    private final MethodHandle intOfPointer;
    private final MethodHandle voidOfPointerAndBool;
    private final MethodHandle ofAddress;

    private VirtualCall(MethodHandle intOfPointer, MethodHandle voidOfPointerAndBool, MethodHandle ofAddress) {
        this.intOfPointer = intOfPointer;
        this.voidOfPointerAndBool = voidOfPointerAndBool;
        this.ofAddress = ofAddress;
    }

    /** {@code int f(void *self)} in slot {@code slot}. */
    int callInt(long object, int slot) throws Throwable {
        return (int) intOfPointer.invoke(ofAddress.invoke(function(object, slot)), ofAddress.invoke(object));
    }

    /** {@code void f(void *self, bool value)} in slot {@code slot}. */
    void callVoid(long object, int slot, boolean value) throws Throwable {
        voidOfPointerAndBool.invoke(ofAddress.invoke(function(object, slot)), ofAddress.invoke(object), value);
    }

    private static long function(long object, int slot) {
        long vtable = new LongPointer(new SyncClockEpoch.NativeAddress(object)).get(0);
        return new LongPointer(new SyncClockEpoch.NativeAddress(vtable)).get(slot);
    }

    /** Through java.lang.foreign, or null where the runtime lacks it (before Java 22). */
    static VirtualCall find() {
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
            Object address = values.getField("ADDRESS").get(null);
            Object pointerOnly = Array.newInstance(layout, 1);
            Array.set(pointerOnly, 0, address);
            Object pointerAndBool = Array.newInstance(layout, 2);
            Array.set(pointerAndBool, 0, address);
            Array.set(pointerAndBool, 1, values.getField("JAVA_BOOLEAN").get(null));
            Object intOfPointer = descriptor.getMethod("of", layout, pointerOnly.getClass())
                    .invoke(null, values.getField("JAVA_INT").get(null), pointerOnly);
            Object voidOfPointerAndBool = descriptor.getMethod("ofVoid", pointerAndBool.getClass())
                    .invoke(null, pointerAndBool);
            Object noOptions = Array.newInstance(option, 0);
            Object nativeLinker = linker.getMethod("nativeLinker").invoke(null);
            var downcall = linker.getMethod("downcallHandle", descriptor, noOptions.getClass());
            MethodHandle ofAddress = MethodHandles.publicLookup().unreflect(segment.getMethod("ofAddress",
                    long.class));
            return new VirtualCall((MethodHandle) downcall.invoke(nativeLinker, intOfPointer, noOptions),
                    (MethodHandle) downcall.invoke(nativeLinker, voidOfPointerAndBool, noOptions), ofAddress);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.INFO, "no foreign linker: libwebrtc methods webrtc-java hides stay out of reach", e);
            return null;
        }
    }
}
