package dev.mcu.app.supervision;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** A process's resident memory and thread count, from Linux's /proc/{pid}/status. */
final class ProcessMemory {

    private ProcessMemory() {
    }

    /** Resident set size in bytes (VmRSS), if the process exists and this is Linux. */
    static OptionalLong residentBytes(long pid) {
        return field(pid, "VmRSS:").stream().map(kb -> kb * 1024).findFirst();
    }

    static OptionalLong threads(long pid) {
        return field(pid, "Threads:");
    }

    private static OptionalLong field(long pid, String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).strip().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]));
                }
            }
        } catch (IOException | RuntimeException e) {
            // Gone, or not Linux.
        }
        return OptionalLong.empty();
    }
}
