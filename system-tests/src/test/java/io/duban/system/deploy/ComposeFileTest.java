package io.duban.system.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml cannot be started on a build machine without a container engine, so this test
 * reads it and checks it against the things it has to agree with: the Dockerfiles, each service's
 * application.properties, the reactor's modules and db/init-roles.sql. It runs from task-service/,
 * so the repository root is "..".
 */
class ComposeFileTest {

    private static final Path ROOT = ServiceConfig.ROOT;
    private static final List<String> APP_SERVICES = ServiceConfig.APP_SERVICES;

    private static Map<String, Object> services;

    @BeforeAll
    static void readComposeFile() throws IOException {
        try (Reader r = Files.newBufferedReader(ROOT.resolve("docker-compose.yml"), StandardCharsets.UTF_8)) {
            Map<String, Object> compose = map(new Yaml().load(r), "docker-compose.yml");
            services = map(compose.get("services"), "services");
        }
    }

    @Test
    void declaresPostgresAndTheThreeServices() {
        assertEquals(Set.of("postgres", "task-service", "notification-service", "report-service"),
                services.keySet());
    }

    @Test
    void everyServiceIsBuiltFromTheRepositoryRootByTheOneDockerfile() throws IOException {
        Path dockerfile = ROOT.resolve("Dockerfile");
        assertTrue(Files.isRegularFile(dockerfile), dockerfile + " does not exist");
        String text = Files.readString(dockerfile, StandardCharsets.UTF_8);
        assertTrue(text.contains("-pl ${SERVICE},bench "),
                "the Dockerfile builds the module the SERVICE argument names, and bench for the AOT cache's training run");
        for (String module : reactorModules()) {
            assertTrue(text.contains("COPY " + module + "/pom.xml "),
                    "the reactor lists " + module + ", so the Dockerfile must copy its pom");
            if (!module.equals("system-tests")) {
                assertTrue(text.contains("COPY " + module + "/src "),
                        "the Dockerfile must copy the sources of " + module + ", which the services build with");
            }
        }
        for (String svc : APP_SERVICES) {
            Map<String, Object> build = map(service(svc).get("build"), svc + ".build");
            Path context = ROOT.resolve(String.valueOf(build.get("context"))).normalize();
            assertEquals(ROOT, context, svc + ": the build context must be the repository root");
            assertEquals(null, build.get("dockerfile"), svc + ": the default Dockerfile of the root, no other");
            assertEquals(svc, map(build.get("args"), svc + ".build.args").get("SERVICE"),
                    svc + ": the SERVICE build argument names the service");
            assertTrue(Pattern.compile("(?m)^EXPOSE .*\\b" + ServiceConfig.httpPort(svc) + "\\b").matcher(text).find(),
                    svc + ": the Dockerfile must EXPOSE the service's port " + ServiceConfig.httpPort(svc));
        }
    }

    @Test
    void everyServiceRunsWithTheSameHeapBoundInContainersAndLocally() throws IOException {
        String options = ServiceConfig.imageJvmOptions();
        assertTrue(ServiceConfig.heapMiB(options) > 0, "the image's JVM options must bound the heap: " + options);
        Matcher local = Pattern.compile("(?m)^JAVA_OPTS=\\$\\{DUBAN_JAVA_OPTS:-\"([^\"]*)\"}$")
                .matcher(Files.readString(ROOT.resolve("run-local.sh"), StandardCharsets.UTF_8));
        assertTrue(local.find(), "run-local.sh must take its JVM options from DUBAN_JAVA_OPTS, with a default");
        assertEquals(options, local.group(1), "run-local.sh must start the services as the image does");
        for (String svc : APP_SERVICES) {
            String override = environment(svc).get("JDK_JAVA_OPTIONS");
            assertTrue(override == null || ServiceConfig.heapMiB(override) > 0,
                    svc + ": JVM options set in compose must keep a heap bound: " + override);
        }
    }

    @Test
    void everyServiceWaitsForAHealthyPostgres() {
        for (String svc : APP_SERVICES) {
            Object dependsOn = service(svc).get("depends_on");
            assertNotNull(dependsOn, svc + ": depends_on");
            Map<String, Object> postgres = map(map(dependsOn, svc + ".depends_on").get("postgres"),
                    svc + ".depends_on.postgres");
            assertEquals("service_healthy", postgres.get("condition"), svc + ": must wait for a healthy postgres");
        }
        assertNotNull(service("postgres").get("healthcheck"), "postgres needs a healthcheck to be waited for");
    }

    @Test
    void everyServicePublishesAndHealthChecksItsOwnHttpPort() {
        for (String svc : APP_SERVICES) {
            String port = ServiceConfig.httpPort(svc);
            List<?> ports = list(service(svc).get("ports"), svc + ".ports");
            assertTrue(ports.stream().map(String::valueOf).anyMatch(p -> p.endsWith(":" + port)),
                    svc + ": container port " + port + " must be published, got " + ports);

            Map<String, Object> healthcheck = map(service(svc).get("healthcheck"), svc + ".healthcheck");
            String test = String.join(" ", list(healthcheck.get("test"), svc + ".healthcheck.test").stream()
                    .map(String::valueOf).toList());
            assertTrue(test.contains("/" + port + " "), svc + ": the healthcheck must connect to port " + port);
            assertTrue(test.contains("/q/health/ready"), svc + ": the healthcheck must ask /q/health/ready");
        }
    }

    @Test
    void everyPlaceholderTheConfigNeedsIsSetInCompose() {
        for (String svc : APP_SERVICES) {
            Set<String> env = environment(svc).keySet();
            for (String name : ServiceConfig.requiredPlaceholders(svc)) {
                assertTrue(ServiceConfig.isSet(svc, env, name),
                        svc + ": application.properties needs ${" + name + "}, compose does not set it");
            }
        }
    }

    @Test
    void everyQuarkusAndDubanVariableInComposeConfiguresARealKey() {
        for (String svc : APP_SERVICES) {
            Set<String> known = ServiceConfig.knownVariables(svc);
            for (String name : environment(svc).keySet()) {
                if (name.startsWith("QUARKUS_") || name.startsWith("DUBAN_")) {
                    assertTrue(known.contains(name), svc + ": " + name
                            + " is neither a key of application.properties nor a placeholder in it");
                }
            }
        }
    }

    @Test
    void everyServiceConnectsToTheComposeDatabaseInItsOwnSchemaWithItsOwnRole() {
        for (String svc : APP_SERVICES) {
            Map<String, String> env = environment(svc);
            for (String name : List.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME",
                    "QUARKUS_DATASOURCE_PASSWORD")) {
                assertTrue(env.containsKey(name), svc + ": " + name + " must be set");
            }
            String schema = svc.replace("-service", "");
            String jdbcUrl = env.get("QUARKUS_DATASOURCE_JDBC_URL");
            assertTrue(jdbcUrl.startsWith("jdbc:postgresql://"), svc + ": a PostgreSQL JDBC URL: " + jdbcUrl);
            URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
            assertEquals("postgres", uri.getHost(), svc + ": the JDBC URL must name the compose postgres service");
            assertEquals("/" + environment("postgres").get("POSTGRES_DB"), uri.getPath(),
                    svc + ": the JDBC URL must name the database that postgres creates");
            assertEquals("currentSchema=" + schema, uri.getQuery(), svc + " works in its own schema");
            assertEquals("duban_" + schema, env.get("QUARKUS_DATASOURCE_USERNAME"), svc + " uses its own role");
            assertEquals("duban_" + schema + "_owner", env.get("QUARKUS_FLYWAY_USERNAME"),
                    svc + " migrates as its schema's owner, and runs as the role with only the DML it needs");
        }
    }

    @Test
    void postgresRunsTheSharedRoleAndSchemaScriptAtFirstStart() {
        assertTrue(Files.isRegularFile(ROOT.resolve("db/init-roles.sql")), "db/init-roles.sql must exist");
        List<String> volumes = list(service("postgres").get("volumes"), "postgres.volumes").stream()
                .map(String::valueOf).toList();
        assertTrue(volumes.stream().anyMatch(v -> v.startsWith("./db/init-roles.sql:/docker-entrypoint-initdb.d/")),
                "postgres must mount db/init-roles.sql into /docker-entrypoint-initdb.d/, got " + volumes);
        assertEquals("duban", environment("postgres").get("POSTGRES_DB"));
    }

    @Test
    void everyBindMountedFileExistsAndTheJwtKeyIsWhereEachServiceLooks() {
        for (String svc : services.keySet()) {
            Object volumes = service(svc).get("volumes");
            if (volumes == null) {
                continue;
            }
            for (Object v : list(volumes, svc + ".volumes")) {
                String source = String.valueOf(v).split(":")[0];
                if (source.startsWith("./") || source.startsWith("../")) {
                    assertTrue(Files.exists(ROOT.resolve(source)), svc + ": bind-mounted " + source + " does not exist");
                }
            }
        }
        for (String svc : APP_SERVICES) {
            String keyLocation = environment(svc).get("DUBAN_JWT_PUBLIC_KEY_LOCATION");
            assertNotNull(keyLocation, svc + ": DUBAN_JWT_PUBLIC_KEY_LOCATION");
            List<String> volumes = list(service(svc).get("volumes"), svc + ".volumes").stream()
                    .map(String::valueOf).toList();
            assertTrue(volumes.stream().anyMatch(v -> v.split(":").length > 1 && v.split(":")[1].equals(keyLocation)),
                    svc + ": the public key must be mounted at " + keyLocation + ", got " + volumes);
        }
    }

    // --- helpers

    private static List<String> reactorModules() throws IOException {
        String pom = Files.readString(ROOT.resolve("pom.xml"), StandardCharsets.UTF_8);
        List<String> modules = new ArrayList<>();
        Matcher m = Pattern.compile("<module>\\s*([^<\\s]+)\\s*</module>").matcher(pom);
        while (m.find()) {
            modules.add(m.group(1));
        }
        assertFalse(modules.isEmpty(), "the root pom lists its modules");
        return modules;
    }

    private static Map<String, Object> service(String name) {
        return map(services.get(name), "services." + name);
    }

    /** A service's environment, in either of compose's forms (a map, or a list of NAME=value). */
    private static Map<String, String> environment(String svc) {
        Object env = service(svc).get("environment");
        Map<String, String> result = new LinkedHashMap<>();
        if (env == null) {
            return result;
        }
        if (env instanceof Map<?, ?> m) {
            m.forEach((k, v) -> result.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        } else if (env instanceof List<?> l) {
            for (Object entry : l) {
                String s = String.valueOf(entry);
                int eq = s.indexOf('=');
                result.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
            }
        } else {
            fail(svc + ".environment must be a map or a list");
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String what) {
        assertInstanceOf(Map.class, o, what + " must be a mapping");
        return (Map<String, Object>) o;
    }

    private static List<?> list(Object o, String what) {
        assertInstanceOf(List.class, o, what + " must be a list");
        return (List<?>) o;
    }
}
