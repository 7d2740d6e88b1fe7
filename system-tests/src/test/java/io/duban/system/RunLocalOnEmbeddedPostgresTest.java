package io.duban.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.duban.postgres.Directories;
import io.duban.postgres.EmbeddedServer;
import io.duban.system.support.RunLocal;
import io.duban.system.support.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The README's run command on a machine without PostgreSQL: {@code ./run-local.sh --no-build} (this
 * reactor has just built the services) with no server configured and the default address pointed at a
 * port nobody listens on, so that it must start the embedded PostgreSQL. The suite comes up, the demo
 * data is loaded, a token the script printed is answered; stopping the script (SIGTERM, as kill or
 * Ctrl-C) stops every process it started, the embedded server included, cleanly; and the demo data is
 * still in the run folder's data directory. (A second run of the script would cost another minute of
 * service start-up: the restart of the server on the same data is what the next run depends on.)
 */
class RunLocalOnEmbeddedPostgresTest {

    private static final Path ROOT = Path.of(System.getProperty("duban.root", "..")).toAbsolutePath().normalize();
    private static final Path BUILD_DIR = Path.of(System.getProperty("duban.build.dir", "target")).toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Set<String> DEMO_TITLES = Set.of(
            "关于加快推进城关片区老旧小区改造的批示",
            "落实区政府第12次常务会议关于河道综合整治的议定事项",
            "办理市政府交办的重点项目审批提速任务",
            "答复区人大代表关于增设社区养老服务站的建议",
            "处理12345热线反映的背街小巷路灯不亮问题",
            "研究制定2027年度民生实事项目清单（草稿）");

    @Test
    void theRunCommandBringsTheSuiteUpOnAnEmbeddedPostgresThatKeepsTheDemoDataAcrossARestart() throws Exception {
        Path runDir = BUILD_DIR.resolve("run-local-embedded");
        Directories.deleteRecursively(runDir);
        int unreachable = ServiceProcess.freePort();
        int taskPort = ServiceProcess.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("DUBAN_PG_PROBE_ADDRESS", "127.0.0.1:" + unreachable);
        env.put("DUBAN_RUN_DIR", runDir.toString());
        env.put("DUBAN_EMBEDDED_PG_PORT", "0");
        env.put("DUBAN_TASK_PORT", Integer.toString(taskPort));
        env.put("DUBAN_NOTIFICATION_PORT", Integer.toString(ServiceProcess.freePort()));
        env.put("DUBAN_REPORT_PORT", Integer.toString(ServiceProcess.freePort()));
        Path data = runDir.resolve("pgdata");

        String output;
        List<ProcessHandle> started;
        ProcessHandle postmaster;
        try (RunLocal run = RunLocal.start(ROOT, env, runDir.resolve("run-local.out"))) {
            output = run.awaitOutput("按 Ctrl-C 停止全部服务", Duration.ofMinutes(4));
            assertTrue(output.contains("127.0.0.1:" + unreachable + " 上也没有，改用嵌入式 PostgreSQL"), output);
            assertTrue(output.contains("数据库：嵌入式 PostgreSQL 15."), output);
            assertTrue(output.contains("演示数据：新增单位 22 个、人员 16 名、督办事项 6 项"), output);

            Map<String, String> state = state(runDir.resolve("postgres.env"));
            assertEquals("embedded", state.get("DUBAN_PG_SOURCE"));
            assertNotEquals("5432", state.get("DUBAN_PG_PORT"), "not the machine's server");
            postmaster = postmaster(data);

            String token = tokenPrintedFor(output, "liu.yang（supervisor, 单位 DCS）:");
            assertEquals(DEMO_TITLES, titles(taskPort, token), "the supervisor sees the six demo items");
            started = run.descendants();
        }
        assertAllEnded(started, postmaster, data);

        // The demo data is in the run folder, for the next run: the same binaries on the same data find it.
        try (EmbeddedServer again = EmbeddedServer.start(new EmbeddedServer.Options(data, 0, true, false,
                runDir.resolve("postgres.log")));
                Connection c = again.server().admin("duban");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM task.unit), "
                        + "(SELECT count(*) FROM task.supervision_item)")) {
            rs.next();
            assertEquals(22, rs.getInt(1), "demo units after the restart");
            assertEquals(6, rs.getInt(2), "demo items after the restart");
        }
    }

    private static Set<String> titles(int taskPort, String token) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + taskPort + "/api/v1/tasks?limit=100"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode(), r.body());
        Set<String> titles = new TreeSet<>();
        for (JsonNode item : JSON.readTree(r.body()).path("items")) {
            titles.add(item.path("title").asText());
        }
        return titles;
    }

    /** Every process the script started has ended, the embedded server too, and it shut down cleanly. */
    private static void assertAllEnded(List<ProcessHandle> started, ProcessHandle postmaster, Path data) {
        List<String> alive = new ArrayList<>();
        for (ProcessHandle p : started) {
            if (p.isAlive()) {
                alive.add(p.pid() + " " + p.info().commandLine().orElse("?"));
            }
        }
        assertEquals(List.of(), alive, "processes the run command left behind");
        assertFalse(postmaster.isAlive(), "the embedded PostgreSQL stops with the run command");
        assertFalse(Files.exists(data.resolve("postmaster.pid")), "it was shut down cleanly");
    }

    private static ProcessHandle postmaster(Path data) throws IOException {
        long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
        return ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no postgres process " + pid));
    }

    private static String tokenPrintedFor(String output, String heading) {
        List<String> lines = output.lines().toList();
        int at = lines.indexOf(heading);
        assertTrue(at >= 0 && at + 1 < lines.size(), "no token printed after " + heading + " in\n" + output);
        String token = lines.get(at + 1).trim();
        assertEquals(3, token.split("\\.").length, "a JWT: " + token);
        return token;
    }

    private static Map<String, String> state(Path file) throws IOException {
        Map<String, String> values = new HashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1).replace("'", ""));
            }
        }
        return values;
    }
}
