package io.duban.system.deploy;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a service's configuration asks of its environment, read from the same files the service reads
 * (duban-common's defaults, then its own application.properties), for the deployment descriptors'
 * tests: {@link ComposeFileTest} (docker-compose.yml) and {@link KubernetesManifestsTest}
 * (deploy/k8s). The tests run from task-service/, so the repository root is "..".
 */
final class ServiceConfig {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final List<String> APP_SERVICES = List.of("task-service", "notification-service", "report-service");

    /** {@code ${NAME}} or {@code ${NAME:default}}; group 2 is null when there is no default. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^:}]+)(?::([^}]*))?}");

    private ServiceConfig() {
    }

    /** A service's configuration: the defaults every service shares (duban-common), then its own. */
    static Properties config(String svc) {
        Properties p = new Properties();
        for (Path file : List.of(ROOT.resolve("duban-common/src/main/resources/META-INF/microprofile-config.properties"),
                ROOT.resolve(svc).resolve("src/main/resources/application.properties"))) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return p;
    }

    /**
     * Placeholders without a default, or with an empty one, in the keys a container reads: those
     * without a profile and the prod profile's ({@code %prod.}). A deployment must set each (an empty
     * default means "off", which a deployment has to say, not forget).
     */
    static Set<String> requiredPlaceholders(String svc) {
        Properties config = config(svc);
        Set<String> required = new LinkedHashSet<>();
        for (String key : config.stringPropertyNames()) {
            if (key.startsWith("%") && !key.startsWith("%prod.")) {
                continue;
            }
            Matcher m = PLACEHOLDER.matcher(config.getProperty(key));
            while (m.find()) {
                if (m.group(2) == null || m.group(2).isEmpty()) {
                    required.add(m.group(1));
                }
            }
        }
        return required;
    }

    /**
     * Every environment variable the service's configuration reads in the prod profile: the env-var
     * form of each key (SmallRye Config maps QUARKUS_HTTP_PORT to quarkus.http.port) and each
     * placeholder. A QUARKUS_* or DUBAN_* variable outside this set configures nothing.
     */
    static Set<String> knownVariables(String svc) {
        Properties config = config(svc);
        Set<String> known = new LinkedHashSet<>();
        for (String key : config.stringPropertyNames()) {
            // A container runs the prod profile: dev and test settings do not count.
            String unprofiled = key.startsWith("%prod.") ? key.substring("%prod.".length()) : key;
            if (unprofiled.startsWith("%")) {
                continue;
            }
            known.add(envName(unprofiled));
            Matcher m = PLACEHOLDER.matcher(config.getProperty(key));
            while (m.find()) {
                known.add(m.group(1));
            }
        }
        return known;
    }

    /** The environment variable name SmallRye Config maps a property name to. */
    static String envName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /**
     * Whether a required placeholder is given: by an env var of its name (or, for a property such as
     * {@code ${quarkus.datasource.username}}, of the property's env-var form), or by the configuration.
     */
    static boolean isSet(String svc, Set<String> env, String name) {
        return env.contains(name) || env.contains(envName(name)) || config(svc).containsKey(name);
    }

    static String httpPort(String svc) {
        String port = config(svc).getProperty("quarkus.http.port");
        assertNotNull(port, svc + ": quarkus.http.port");
        return port.trim();
    }

    /** The JVM options the image runs every service with (the Dockerfile's JDK_JAVA_OPTIONS). */
    static String imageJvmOptions() {
        Matcher image = Pattern.compile("(?m)^ENV JDK_JAVA_OPTIONS=\"([^\"]*)\"$").matcher(read("Dockerfile"));
        if (!image.find()) {
            throw new AssertionError("the Dockerfile must set JDK_JAVA_OPTIONS, the services' JVM options");
        }
        return image.group(1);
    }

    /** The -Xmx of JVM options in MiB, or -1 without one. */
    static long heapMiB(String jvmOptions) {
        Matcher m = Pattern.compile("-Xmx(\\d+)([mMgG])\\b").matcher(jvmOptions);
        if (!m.find()) {
            return -1;
        }
        long n = Long.parseLong(m.group(1));
        return m.group(2).equalsIgnoreCase("g") ? n * 1024 : n;
    }

    static String read(String pathFromRoot) {
        try {
            return Files.readString(ROOT.resolve(pathFromRoot), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
