package dev.mcu.mixer.video;

import dev.onvoid.webrtc.media.video.I420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;
import org.bytedeco.javacpp.BytePointer;

import java.nio.ByteBuffer;

/**
 * The video clock's view of one participant's camera: the frame it currently shows and the
 * planes the scalers read (buffers for libyuv, pointers for swscale). Owned by the clock thread; never shared.
 */
final class VideoInput {

    private final FrameSlot slot;
    private VideoFrame held;
    private I420Buffer planes;
    private final BytePointer[] pointers = new BytePointer[3];
    private final int[] strides = new int[3];
    private final ByteBuffer[] data = new ByteBuffer[3];
    private long sequence;

    VideoInput(FrameSlot slot) {
        this.slot = slot;
    }

    /** Takes the newest frame from the slot, if any, releasing the one shown until now. */
    void refresh() {
        VideoFrame next = slot.take();
        if (next == null) {
            return;
        }
        I420Buffer buffer = next.buffer instanceof I420Buffer i420 ? i420 : null;
        if (buffer == null) {
            next.release();
            return;
        }
        releaseHeld();
        held = next;
        planes = buffer;
        data[0] = buffer.getDataY();
        data[1] = buffer.getDataU();
        data[2] = buffer.getDataV();
        pointers[0] = new BytePointer(data[0]);
        pointers[1] = new BytePointer(data[1]);
        pointers[2] = new BytePointer(data[2]);
        strides[0] = buffer.getStrideY();
        strides[1] = buffer.getStrideU();
        strides[2] = buffer.getStrideV();
        sequence++;
    }

    boolean hasFrame() {
        return held != null;
    }

    int width() {
        return planes.getWidth();
    }

    int height() {
        return planes.getHeight();
    }

    /** Increments whenever a new frame is shown; lets caches skip rescaling an unchanged picture. */
    long sequence() {
        return sequence;
    }

    BytePointer plane(int i) {
        return pointers[i];
    }

    ByteBuffer data(int i) {
        return data[i];
    }

    int stride(int i) {
        return strides[i];
    }

    /** Releases the shown frame; the slot itself is closed by its owner. */
    void releaseHeld() {
        if (held != null) {
            held.release();
            held = null;
            planes = null;
            pointers[0] = pointers[1] = pointers[2] = null;
            data[0] = data[1] = data[2] = null;
        }
    }
}
