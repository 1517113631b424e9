package dev.mcu.app;

import dev.mcu.bench.analysis.Picture;
import dev.mcu.bench.analysis.ReceivedAudio;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

import java.nio.ShortBuffer;
import java.nio.file.Path;

/**
 * A recording's file as FFmpeg decodes it: every frame read, the last stamp, the frame count, the
 * picture at a given time and the second of sound around it (as the client-side analysers read
 * received media).
 */
record RecordedFile(long lastTimestampMs, int videoFrames, long audioSamples, Picture picture, ReceivedAudio audio) {

    /** Decodes the whole file; {@code atMs} is where the picture and sound are taken (-1: the middle). */
    static RecordedFile decode(Path file, long atMs) throws Exception {
        long lastUs = 0;
        int frames = 0;
        long samples = 0;
        Picture picture = null;
        ReceivedAudio audio = new ReceivedAudio();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            g.setSampleMode(FFmpegFrameGrabber.SampleMode.SHORT);
            g.setSampleRate(48_000);
            g.setAudioChannels(1);
            g.start();
            long length = g.getLengthInTime();
            long atUs = atMs >= 0 ? atMs * 1000 : length > 0 ? length / 2 : 2_000_000;
            Frame f;
            while ((f = g.grab()) != null) {
                lastUs = Math.max(lastUs, f.timestamp);
                if (f.image != null) {
                    frames++;
                    if (picture == null && f.timestamp >= atUs) {
                        picture = picture((AVFrame) f.opaque, f.imageWidth, f.imageHeight);
                    }
                }
                if (f.samples != null) {
                    ShortBuffer s = (ShortBuffer) f.samples[0];
                    samples += s.remaining();
                    if (f.timestamp >= atUs - 500_000 && f.timestamp < atUs + 500_000) {
                        byte[] pcm = new byte[s.remaining() * 2];
                        for (int i = 0; i < pcm.length / 2; i++) {
                            short v = s.get(s.position() + i);
                            pcm[2 * i] = (byte) v;
                            pcm[2 * i + 1] = (byte) (v >> 8);
                        }
                        audio.onData(pcm, 16, 48_000, 1, pcm.length / 2);
                    }
                }
            }
        }
        return new RecordedFile(lastUs / 1000, frames, samples, picture, audio);
    }

    /** The decoded I420 planes (the grabber's frame buffer shows only the first). */
    private static Picture picture(AVFrame a, int w, int h) {
        return new Picture(w, h, plane(a, 0, w, h), plane(a, 1, w / 2, h / 2), plane(a, 2, w / 2, h / 2), 0);
    }

    private static byte[] plane(AVFrame a, int i, int w, int h) {
        byte[] out = new byte[w * h];
        BytePointer p = a.data(i);
        int stride = a.linesize(i);
        for (int r = 0; r < h; r++) {
            p.position((long) r * stride).get(out, r * w, w);
        }
        return out;
    }
}
