package io.duban.notification.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.duban.testing.DevTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The real servers a delivery test talks to, on the ports {@link DeliveryPeersResource} chose:
 * GreenMail (SMTP), and one HTTP server answering as task-service's directory (its JSON format, only
 * to a bearer token of the service role), as the SMS gateway and as webhook subscribers.
 */
final class DeliveryPeers {

    record Request(String method, String path, String query, Map<String, String> headers, String body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    volatile GreenMail mail;
    private final int smtpPort;
    private final HttpServer http;
    final String baseUrl;
    /** Units as GET /api/v1/units/{code} answers them, and their people as GET /api/v1/people?unit= does. */
    final Map<String, Map<String, Object>> units = new ConcurrentHashMap<>();
    final Map<String, List<Map<String, Object>>> people = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> directoryReads = new ConcurrentHashMap<>();
    final List<String> refusedTokens = Collections.synchronizedList(new ArrayList<>());
    final List<Request> sms = Collections.synchronizedList(new ArrayList<>());
    final List<Request> hooks = Collections.synchronizedList(new ArrayList<>());
    /** Statuses the next webhook requests to a path get, in order; 200 when none is left. */
    final Map<String, ConcurrentLinkedDeque<Integer>> hookStatuses = new ConcurrentHashMap<>();

    /** The next requests to this subscriber's URL answer these statuses. */
    void answerHook(String url, Integer... statuses) {
        hookStatuses.computeIfAbsent(url.substring(baseUrl.length()), k -> new ConcurrentLinkedDeque<>())
                .addAll(List.of(statuses));
    }

    private DeliveryPeers(GreenMail mail, int smtpPort, HttpServer http) {
        this.mail = mail;
        this.smtpPort = smtpPort;
        this.http = http;
        this.baseUrl = "http://127.0.0.1:" + http.getAddress().getPort();
    }

    static DeliveryPeers start() {
        int smtpPort = ConfigProvider.getConfig().getValue("duban.smtp.port", Integer.class);
        String directory = ConfigProvider.getConfig().getValue("duban.delivery.directory.url", String.class);
        int httpPort = Integer.parseInt(directory.substring(directory.lastIndexOf(':') + 1));
        GreenMail mail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), httpPort), 0);
            DeliveryPeers peers = new DeliveryPeers(mail, smtpPort, http);
            http.createContext("/", peers::handle);
            http.start();
            return peers;
        } catch (IOException e) {
            mail.stop();
            throw new UncheckedIOException(e);
        }
    }

    /** The SMTP server goes away (connections refused) until {@link #startMail()}. */
    void stopMail() {
        mail.stop();
    }

    /** A fresh SMTP server on the same port, with an empty mailbox. */
    void startMail() {
        GreenMail fresh = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        fresh.start();
        mail = fresh;
    }

    void stop() {
        http.stop(0);
        mail.stop();
    }

    void unit(String code, String name, String email, String phone, List<Map<String, Object>> persons) {
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("code", code);
        u.put("name", name);
        u.put("shortName", null);
        u.put("parentCode", null);
        u.put("contactEmail", email);
        u.put("phone", phone);
        u.put("active", true);
        units.put(code, u);
        people.put(code, persons);
    }

    /** One person as task-service's PersonView writes it. */
    static Map<String, Object> person(String username, String unit, String role, String email, String phone) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("id", java.util.UUID.randomUUID().toString());
        p.put("username", username);
        p.put("name", username);
        p.put("unitCode", unit);
        p.put("role", role.toUpperCase());
        p.put("roleLabel", role);
        p.put("title", null);
        p.put("email", email);
        p.put("phone", phone);
        return p;
    }

    private void handle(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        String query = x.getRequestURI().getRawQuery();
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        x.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
        Request r = new Request(x.getRequestMethod(), path, query, headers, body);
        if (path.startsWith("/api/v1/")) {
            directory(x, r);
        } else if (path.equals("/sms")) {
            sms.add(r);
            answer(x, 200, "{\"ok\":true}");
        } else if (path.startsWith("/hooks/")) {
            hooks.add(r);
            int status = next(path);
            answer(x, status, status / 100 == 2 ? "" : "{\"error\":\"subscriber down\"}");
        } else {
            answer(x, 404, "");
        }
    }

    private int next(String path) {
        ConcurrentLinkedDeque<Integer> statuses = hookStatuses.get(path);
        Integer s = statuses == null ? null : statuses.poll();
        return s == null ? 200 : s;
    }

    private void directory(HttpExchange x, Request r) throws IOException {
        String auth = r.headers().getOrDefault("authorization", "");
        if (DevTokens.serviceCaller(auth).isEmpty()) {
            refusedTokens.add(auth);
            answer(x, 401, "{\"title\":\"未认证\"}");
            return;
        }
        if (r.path().startsWith("/api/v1/units/")) {
            String code = URLDecoder.decode(r.path().substring("/api/v1/units/".length()), StandardCharsets.UTF_8);
            directoryReads.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
            Map<String, Object> u = units.get(code);
            answer(x, u == null ? 404 : 200, JSON.writeValueAsString(u == null ? Map.of("title", "未找到") : u));
        } else if (r.path().equals("/api/v1/people") && query(r).containsKey("unit")) {
            // As task-service pages them, but at most PEOPLE_PAGE to a page whatever the limit, so
            // that a unit of more people than that is read over several pages.
            Map<String, String> q = query(r);
            List<Map<String, Object>> all = people.getOrDefault(q.get("unit"), List.of());
            int from = q.containsKey("cursor") ? Integer.parseInt(q.get("cursor")) : 0;
            int to = Math.min(all.size(), from + Math.min(PEOPLE_PAGE, Integer.parseInt(q.getOrDefault("limit", "100"))));
            Map<String, Object> page = new LinkedHashMap<>();
            page.put("items", all.subList(from, to));
            if (to < all.size()) {
                page.put("nextCursor", Integer.toString(to));
            }
            page.put("limit", PEOPLE_PAGE);
            answer(x, 200, JSON.writeValueAsString(page));
        } else {
            answer(x, 404, "");
        }
    }

    /** People per page of the directory's list of people, small enough that tests read several. */
    static final int PEOPLE_PAGE = 2;

    private static Map<String, String> query(Request r) {
        Map<String, String> q = new LinkedHashMap<>();
        if (r.query() != null) {
            for (String pair : r.query().split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    q.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    private static void answer(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            x.getResponseBody().write(bytes);
        }
        x.close();
    }
}
