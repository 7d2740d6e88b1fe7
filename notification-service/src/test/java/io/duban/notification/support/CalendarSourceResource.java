package io.duban.notification.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.duban.common.calendar.CalendarDay;
import io.duban.common.calendar.HolidayCnFormat;
import io.duban.testing.DevTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP server in the test JVM that answers {@code GET /api/v1/calendar/{year}} exactly as
 * task-service's CalendarResource does: the service-role bearer token required (401 problem+json
 * without it), the year as {@code {"year","papers","days":[{"date","name","isOffDay"}]}}, 404
 * problem+json for a year never imported. It starts with the official calendars (duban-common's
 * shipped holiday-cn files for 2024-2026, the same as /work/shared/data). {@code PUT} on the same path
 * replaces a year, as an admin's import into task-service would; {@code GET /test/requests} tells how
 * many calendar GETs it has answered.
 */
public class CalendarSourceResource implements QuarkusTestResourceLifecycleManager {

    private static final Pattern YEAR = Pattern.compile("/api/v1/calendar/(\\d{4})");
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;
    private final Map<Integer, HolidayCnFormat.Year> years = new ConcurrentHashMap<>();
    private final AtomicInteger gets = new AtomicInteger();

    @Override
    public Map<String, String> start() {
        for (int y : HolidayCnFormat.SHIPPED_YEARS) {
            years.put(y, HolidayCnFormat.shipped(y).orElseThrow());
        }
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.start();
        // No token configured: the service signs its own (TaskServiceToken), which this source checks.
        return Map.of("duban.calendar-source.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            if (path.equals("/test/requests")) {
                send(x, 200, "application/json", Integer.toString(gets.get()));
                return;
            }
            Matcher m = YEAR.matcher(path);
            if (!m.matches()) {
                problem(x, 404, "未找到", "请求的地址不存在。");
                return;
            }
            int year = Integer.parseInt(m.group(1));
            if (DevTokens.serviceCaller(x.getRequestHeaders().getFirst("Authorization"))
                    .filter("notification-service"::equals).isEmpty()) {
                x.getResponseHeaders().add("WWW-Authenticate", "Bearer");
                problem(x, 401, "未认证", "缺少有效的访问令牌，请重新登录。");
                return;
            }
            if (x.getRequestMethod().equals("PUT")) {
                years.put(year, HolidayCnFormat.parse(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
                send(x, 200, "application/json", "{\"year\":" + year + "}");
                return;
            }
            gets.incrementAndGet();
            HolidayCnFormat.Year y = years.get(year);
            if (y == null) {
                problem(x, 404, "该年度日历未导入", year + " 年的工作日历尚未导入，期限按周一至周五计算。");
                return;
            }
            send(x, 200, "application/json", document(y));
        }
    }

    /** CalendarResource.CalendarYearDocument as Quarkus REST writes it: year, papers, days of date, name, isOffDay. */
    static String document(HolidayCnFormat.Year y) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("year", y.year());
        ArrayNode papers = root.putArray("papers");
        y.papers().forEach(papers::add);
        ArrayNode days = root.putArray("days");
        for (CalendarDay d : y.days()) {
            ObjectNode n = days.addObject();
            n.put("date", d.date().toString());
            n.put("name", d.name());
            n.put("isOffDay", d.offDay());
        }
        return JSON.writeValueAsString(root);
    }

    private static void problem(HttpExchange x, int status, String title, String detail) throws IOException {
        ObjectNode p = JSON.createObjectNode();
        p.put("type", "about:blank");
        p.put("title", title);
        p.put("status", status);
        p.put("detail", detail);
        send(x, status, "application/problem+json", JSON.writeValueAsString(p));
    }

    private static void send(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", type + ";charset=UTF-8");
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }
}
