package dev.mcu.bench.capacity;

import dev.mcu.bench.synthetic.SyntheticParticipant;

import java.util.List;

/**
 * What the capacity bench's child processes are told about the streams they run, passed on their
 * command line as: n width height fps kbps warmupSeconds seconds codec.
 */
record StreamArgs(int participants, int width, int height, int fps, int kbps, int warmupSeconds, int seconds,
                  String codec) {

    static final int COUNT = 8;

    static StreamArgs parse(String[] args, int offset) {
        return new StreamArgs(Integer.parseInt(args[offset]), Integer.parseInt(args[offset + 1]),
                Integer.parseInt(args[offset + 2]), Integer.parseInt(args[offset + 3]),
                Integer.parseInt(args[offset + 4]), Integer.parseInt(args[offset + 5]),
                Integer.parseInt(args[offset + 6]), args[offset + 7]);
    }

    String[] toArgs() {
        return new String[] {String.valueOf(participants), String.valueOf(width), String.valueOf(height),
                String.valueOf(fps), String.valueOf(kbps), String.valueOf(warmupSeconds), String.valueOf(seconds), codec};
    }

    /** A camera-like synthetic participant sending these streams with only this codec offered. */
    SyntheticParticipant.Options options(int index) {
        return new SyntheticParticipant.Options(index, width, height, fps, 8000, true, kbps, List.of(codec));
    }
}
