package io.duban.system.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Class-data sharing (a dynamic CDS archive) for the packaged services these tests start, some thirty
 * times a build. A module's first run in this JVM writes the archive at its graceful exit
 * ({@code -XX:ArchiveClassesAtExit}); every later start maps it ({@code -XX:SharedArchiveFile}) and skips
 * most of the class loading and verification that dominate a start: 4.9 s of CPU to the first 200
 * instead of 6.3 s (C1 alone), against 10–11.6 s for the JVM's defaults (bench/results.md, "Start-up of the
 * services the system tests run").
 * <p>
 * The archive is named after the jar's size and time, so a rebuilt service records a new one; the JVM
 * itself refuses an archive that does not match its jar or its own build and then starts without one.
 * Only one run of a module records at a time (two instances start together in {@code TwoInstancesTest}),
 * into a file of its own, moved into place only after the process ended by itself; a run that was killed
 * leaves nothing behind. None of this changes what a service does, only how fast its JVM gets there.
 */
final class ClassData {

    private static final Path DIRECTORY = Path.of(System.getProperty("duban.build.dir", "target")).resolve("cds");
    private static final Set<Path> RECORDING = ConcurrentHashMap.newKeySet();

    private ClassData() {
    }

    /**
     * Adds the JVM options for this start of {@code jar}: use the module's archive if there is one, else
     * record it unless another run already does. Returns the recording to keep or discard at the end, or null.
     */
    static Recording options(Path jar, int port, List<String> command) {
        Path archive;
        try {
            Files.createDirectories(DIRECTORY);
            String module = jar.getParent().getParent().getParent().getFileName().toString();
            archive = DIRECTORY.resolve(module + "-" + Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis()
                    + ".jsa");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (Files.isRegularFile(archive)) {
            command.add("-XX:SharedArchiveFile=" + archive.toAbsolutePath());
            return null;
        }
        if (!RECORDING.add(archive)) {
            return null;
        }
        Path partial = archive.resolveSibling(archive.getFileName() + "." + port + ".partial");
        command.add("-XX:ArchiveClassesAtExit=" + partial.toAbsolutePath());
        // The dump lists every class it passes over as a warning: thousands of lines in the service's log.
        command.add("-Xlog:cds=error");
        return new Recording(archive, partial);
    }

    /** An archive being written by one run, at its exit. */
    record Recording(Path archive, Path partial) {

        /** The run ended by itself: its archive is complete, and later starts map it. */
        void keep() {
            try {
                if (Files.isRegularFile(partial) && Files.size(partial) > 0) {
                    Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
                }
            } catch (IOException e) {
                discard(); // the next run records it again
            } finally {
                RECORDING.remove(archive);
            }
        }

        /** The run was killed: what it wrote, if anything, is incomplete. */
        void discard() {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // a leftover partial file is never mapped: only the archive's own name is
            } finally {
                RECORDING.remove(archive);
            }
        }
    }
}
