package dev.mcu.mixer.video;

import dev.onvoid.webrtc.media.video.NativeI420Buffer;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;

/**
 * libyuv's I420Scale with its box filter, the scaler libwebrtc itself uses, reached through the
 * binding webrtc-java 0.14 keeps private in {@link NativeI420Buffer} (its public cropAndScale
 * allocates a new native buffer per call; this writes into the caller's planes). Downscaling a camera
 * by whole factors, as grid tiles do, it runs libyuv's SIMD row reducers and averages every source
 * pixel, where swscale's fast bilinear samples a few. Unavailable (callers fall back to swscale) when
 * the binding is missing or the native library is not loaded yet.
 */
final class LibyuvScaler {

    /** System property for benchmarks only: "swscale" makes pictures made afterwards use swscale. */
    static final String SCALER_PROPERTY = "mcu.bench.scaler";

    private static final MethodHandle SCALE = find();
    private static volatile boolean linked = SCALE != null;

    private LibyuvScaler() {
    }

    static boolean usable() {
        return linked && !"swscale".equals(System.getProperty(SCALER_PROPERTY));
    }

    /**
     * Scales a whole I420 picture into another; returns false if the native binding cannot be
     * called or libyuv refuses, so the caller scales with swscale instead.
     */
    static boolean scale(ByteBuffer srcY, int srcStrideY, ByteBuffer srcU, int srcStrideU, ByteBuffer srcV,
                         int srcStrideV, int srcWidth, int srcHeight, ByteBuffer dstY, ByteBuffer dstU,
                         ByteBuffer dstV, int width, int height) {
        if (!linked) {
            return false; // once unlinked, no exception per tick
        }
        try {
            SCALE.invokeExact(srcY, srcStrideY, srcU, srcStrideU, srcV, srcStrideV, 0, 0, srcWidth, srcHeight,
                    dstY, width, dstU, width / 2, dstV, width / 2, width, height);
            return true;
        } catch (UnsatisfiedLinkError e) {
            linked = false;
            return false;
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            return false; // libyuv refused these sizes: swscale takes the frame
        }
    }

    private static MethodHandle find() {
        try {
            MethodType type = MethodType.methodType(void.class, ByteBuffer.class, int.class, ByteBuffer.class,
                    int.class, ByteBuffer.class, int.class, int.class, int.class, int.class, int.class,
                    ByteBuffer.class, int.class, ByteBuffer.class, int.class, ByteBuffer.class, int.class,
                    int.class, int.class);
            return MethodHandles.privateLookupIn(NativeI420Buffer.class, MethodHandles.lookup())
                    .findStatic(NativeI420Buffer.class, "cropAndScale", type);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
