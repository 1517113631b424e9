package dev.mcu.controlplane.recordings;

import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One file of a recording made of several segments (its room moved between workers): FFmpeg's
 * concat demuxer reads the segments one after the other on one time line and the packets are
 * written out again as they are, without decoding. Made once and kept beside the segments.
 */
final class SegmentJoin {

    static final String FILE = "recording.webm";
    private static final Map<Path, Object> LOCKS = new ConcurrentHashMap<>();

    private SegmentJoin() {
    }

    /** The joined file of these segments (in order) in the recording's directory; made if missing or older. */
    static Path joined(Path dir, List<String> segments) throws IOException {
        synchronized (LOCKS.computeIfAbsent(dir, d -> new Object())) {
            Path out = dir.resolve(FILE);
            if (Files.isRegularFile(out) && newerThanAll(out, dir, segments)) {
                return out;
            }
            Path list = dir.resolve("concat.txt");
            StringBuilder b = new StringBuilder("ffconcat version 1.0\n");
            for (String s : segments) {
                b.append("file '").append(s).append("'\n"); // names the service chose: segment-0001.webm ...
            }
            Files.writeString(list, b);
            Path partial = dir.resolve(FILE + ".partial");
            try {
                remux(list, partial);
                Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
                Files.deleteIfExists(list);
            }
            return out;
        }
    }

    private static void remux(Path list, Path out) throws IOException {
        try (FFmpegFrameGrabber in = new FFmpegFrameGrabber(list.toFile())) {
            in.setFormat("concat");
            in.setOption("safe", "0");
            in.start();
            try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(out.toFile(), in.getImageWidth(), in.getImageHeight(),
                    in.getAudioChannels())) {
                r.setFormat("webm");
                r.start(in.getFormatContext());
                AVPacket packet;
                while ((packet = in.grabPacket()) != null) {
                    r.recordPacket(packet);
                }
                r.stop();
            }
        } catch (FFmpegFrameGrabber.Exception | FFmpegFrameRecorder.Exception e) {
            throw new IOException("joining the segments failed: " + e.getMessage(), e);
        }
    }

    private static boolean newerThanAll(Path out, Path dir, List<String> segments) throws IOException {
        FileTime made = Files.getLastModifiedTime(out);
        for (String s : segments) {
            if (Files.getLastModifiedTime(dir.resolve(s)).compareTo(made) > 0) {
                return false;
            }
        }
        return true;
    }
}
