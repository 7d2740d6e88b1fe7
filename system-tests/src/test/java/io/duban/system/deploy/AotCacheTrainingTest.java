package io.duban.system.deploy;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.duban.bench.AotTraining;
import io.duban.postgres.Directories;
import io.duban.system.support.ServiceProcess;
import io.duban.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The image's AOT cache (Dockerfile): the training run its build makes (bench AotTraining, on Java 25,
 * with the image's JVM options, against the aot-jar the build packages in target/quarkus-aot) answers every
 * request of the service's workload as expected and writes a cache; and the service then starts from
 * that cache with {@code -XX:AOTMode=on}, under which a JVM that cannot use the cache refuses to start.
 * No time is asserted: what the cache saves is measured in bench/results.md.
 */
class AotCacheTrainingTest {

    private static final Path ROOT = ServiceConfig.ROOT;
    private static final Path BUILD_DIR = Path.of(System.getProperty("duban.build.dir", "target")).toAbsolutePath();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "task-service", "notification-service", "report-service" })
    void theTrainingRunWritesACacheThatTheServiceStartsFrom(String service) throws Exception {
        Optional<Path> java = java25();
        assumeTrue(java.isPresent(), "no JDK 25 or newer (DUBAN_JAVA25, or under /usr/lib/jvm): no AOT cache to train");
        Path jar = ROOT.resolve(service + "/target/quarkus-aot/quarkus-run.jar");
        assertTrue(Files.isRegularFile(jar), "the build packages " + service + " as an aot-jar too: " + jar);
        Path work = BUILD_DIR.resolve("aot-training/" + service);
        Directories.deleteRecursively(work);
        Files.createDirectories(work);
        Path cache = work.resolve("app.aot");
        List<String> options = Arrays.asList(ServiceConfig.imageJvmOptions().split("\\s+"));
        String schema = service.replace("-service", "");
        TestDatabase database = TestDatabase.forModule("aot_" + schema);

        long bytes = AotTraining.train(service, jar, cache, java.get().toString(), options, 2, work,
                TestDatabase.server(), database.name());

        assertTrue(bytes > 32L << 20, "a cache of a whole service holds tens of MiB of classes, not " + bytes + " bytes");
        List<String> fromCache = new ArrayList<>(List.of("-XX:AOTMode=on", "-XX:AOTCache=" + cache));
        fromCache.addAll(options);
        try (ServiceProcess s = ServiceProcess.prepare(ROOT, service, database.jdbcUrl(schema), Map.of(),
                work.resolve("from-cache"))) {
            assertDoesNotThrow(() -> s.start(jar, java.get().toString(), fromCache),
                    service + " starts from its cache (AOTMode=on: a JVM that cannot use it exits) and is ready");
        }
    }

    /**
     * The image runs what this test trains: the training step runs AotTraining for the SERVICE argument on
     * the runtime stage itself (a cache is tied to the JVM that recorded it) after the JVM options are set,
     * on the aot-jar the build packaged; the entry point maps the cache the training wrote.
     */
    @Test
    void theImageTrainsItsCacheOnItsOwnRuntimeAndStartsFromIt() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        String runtime = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
        Matcher from = Pattern.compile("^\nFROM eclipse-temurin:(\\d+)-jre\n").matcher(runtime);
        assertTrue(from.find() && Integer.parseInt(from.group(1)) >= 25, "the runtime is a Java 25+ JRE: " + runtime.lines().skip(1).findFirst());
        assertTrue(runtime.contains("COPY --from=build /build/${SERVICE}/target/quarkus-aot/ /deployments/"),
                "the image runs the aot-jar layout");
        Matcher training = Pattern.compile("io\\.duban\\.bench\\.AotTraining\\s+\\\\?\\s*--service \\$\\{SERVICE} --app /deployments --cache (\\S+)")
                .matcher(runtime);
        assertTrue(training.find(), "the runtime stage runs the training for its service");
        assertTrue(runtime.indexOf("ENV JDK_JAVA_OPTIONS=") < training.start(),
                "the JVM options are set before the training, so that the cache is recorded with them");
        Matcher entry = Pattern.compile("(?m)^ENTRYPOINT \\[\"java\", \"-XX:AOTCache=([^\"]+)\"").matcher(runtime);
        assertTrue(entry.find(), "the entry point starts java with the AOT cache");
        assertEquals(training.group(1), entry.group(1), "the entry point maps the cache the training wrote");
    }

    /** A java of release 25 or newer: DUBAN_JAVA25, else the newest under /usr/lib/jvm. */
    static Optional<Path> java25() throws IOException {
        String named = System.getenv("DUBAN_JAVA25");
        if (named != null && !named.isBlank()) {
            return Optional.of(Path.of(named));
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        Pattern version = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(h -> Files.isExecutable(h.resolve("bin/java")) && Files.isRegularFile(h.resolve("release")))
                    .filter(h -> {
                        try {
                            Matcher m = version.matcher(Files.readString(h.resolve("release")));
                            return m.find() && Integer.parseInt(m.group(1)) >= 25;
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .max(Comparator.comparing(Path::toString))
                    .map(h -> h.resolve("bin/java"));
        }
    }
}
