package dev.mcu.app.supervision;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A standby worker process: a JVM that has loaded libwebrtc, made its mixer and factories and
 * connected to Kafka, and waits on its stdin to be named a worker.
 */
final class Spare {

    final Process process;
    final ChildOutput output;

    private Spare(Process process, ChildOutput output) {
        this.process = process;
        this.output = output;
    }

    static Spare spawn(WorkerLaunch launch, String tag, PrintStream out) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(launch.command()).redirectErrorStream(true);
        pb.environment().putAll(launch.environment());
        Process p = pb.start();
        return new Spare(p, new ChildOutput(tag, p.getInputStream(), out));
    }

    boolean booted() {
        return output.booted().isDone() && !output.booted().isCompletedExceptionally() && process.isAlive();
    }


    /** Names it a worker: from now on it heartbeats and takes that worker's commands. */
    void promote(String workerId, String instance) throws IOException {
        output.retag(workerId);
        OutputStream in = process.getOutputStream();
        in.write(WorkerLaunch.startLine(workerId, instance).getBytes(StandardCharsets.UTF_8));
        in.flush();
    }
}
