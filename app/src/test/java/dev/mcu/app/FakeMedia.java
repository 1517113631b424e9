package dev.mcu.app;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files Chromium plays as its fake camera and microphone (--use-file-for-fake-video-capture and
 * --use-file-for-fake-audio-capture): a solid colour as Y4M and a steady tone as WAV.
 */
final class FakeMedia {

    private FakeMedia() {
    }

    /** A 640x360 Y4M of one colour (BT.601 limited range, as Chromium reads it), 30 frames. */
    static Path y4m(Path dir, String name, int r, int g, int b) throws IOException {
        int w = 640;
        int h = 360;
        double rf = r / 255.0;
        double gf = g / 255.0;
        double bf = b / 255.0;
        byte y = (byte) Math.round(16 + 65.481 * rf + 128.553 * gf + 24.966 * bf);
        byte u = (byte) Math.round(128 - 37.797 * rf - 74.203 * gf + 112.0 * bf);
        byte v = (byte) Math.round(128 + 112.0 * rf - 93.786 * gf - 18.214 * bf);
        byte[] frame = new byte[w * h * 3 / 2];
        java.util.Arrays.fill(frame, 0, w * h, y);
        java.util.Arrays.fill(frame, w * h, w * h + w * h / 4, u);
        java.util.Arrays.fill(frame, w * h + w * h / 4, frame.length, v);
        Path file = dir.resolve(name + ".y4m");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(("YUV4MPEG2 W" + w + " H" + h + " F30:1 Ip A1:1 C420jpeg\n").getBytes());
            for (int i = 0; i < 30; i++) {
                out.write("FRAME\n".getBytes());
                out.write(frame);
            }
        }
        return file;
    }

    /** Five seconds of a sine tone at -12 dBFS, 48 kHz mono 16-bit PCM. */
    static Path wav(Path dir, String name, double frequency) throws IOException {
        int rate = 48_000;
        int samples = rate * 5;
        ByteBuffer data = ByteBuffer.allocate(44 + samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        data.put("RIFF".getBytes()).putInt(36 + samples * 2).put("WAVE".getBytes());
        data.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate)
                .putInt(rate * 2).putShort((short) 2).putShort((short) 16);
        data.put("data".getBytes()).putInt(samples * 2);
        double amplitude = 32767 * Math.pow(10, -12 / 20.0);
        for (int i = 0; i < samples; i++) {
            data.putShort((short) Math.round(amplitude * Math.sin(2 * Math.PI * frequency * i / rate)));
        }
        Path file = dir.resolve(name + ".wav");
        Files.write(file, data.array());
        return file;
    }
}
