package dev.mcu.events.storage;

import dev.mcu.events.Ids;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where recordings are written and read: one directory per recording, holding its segments and
 * their manifests. Mixer workers write there and the control plane serves the files, so in a
 * deployment of many machines it is storage they share (a ReadWriteMany volume).
 *
 * @param minFreeBytes a recording does not start, and a running one fails, with less free space than this
 */
public record RecordingStorage(Path directory, long minFreeBytes) {

    public RecordingStorage {
        if (directory == null) {
            throw new IllegalArgumentException("the recordings directory must be set");
        }
        if (minFreeBytes < 0) {
            throw new IllegalArgumentException("the free space a recording needs must not be negative");
        }
        directory = directory.toAbsolutePath().normalize();
    }

    /** The directory of one recording (its id is checked: nothing outside the storage is reachable). */
    public Path of(String recordingId) {
        return directory.resolve(Ids.require(recordingId, "recording id"));
    }

    /** Free space in the storage, or 0 if it cannot be read (which refuses recordings). */
    public long freeBytes() {
        try {
            Files.createDirectories(directory);
            return Files.getFileStore(directory).getUsableSpace();
        } catch (IOException e) {
            return 0;
        }
    }
}
