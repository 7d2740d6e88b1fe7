package io.duban.task.observe;

import static io.duban.task.support.Fixture.act;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duban.task.support.Fixture;
import io.duban.testing.DevTokens;
import io.duban.testing.Metrics;
import io.duban.testing.OpenApiDocument;
import io.duban.testing.PostgresTestResource;
import io.duban.testing.RawHttp;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** /q/metrics: HTTP series stay bounded whatever clients send; the business metrics move when things happen. */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class MetricsTest {

    private static final String HTTP = "http_server_requests_seconds";
    /** The methods a request may have as a label (HttpMetricLabels), and what every other one becomes. */
    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "OTHER");
    /** Per label set: 11 buckets, +Inf, count, sum, and the max gauge. */
    private static final int SERIES_PER_LABEL_SET = 15;

    /** Sends one request to every route with random ids and query strings, and some to paths that are none. */
    private static void randomRound(List<OpenApiDocument.Operation> ops, Set<String> sent) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Map<String, String> auth = Map.of("Authorization", "Bearer " + DevTokens.admin());
        for (OpenApiDocument.Operation op : ops) {
            String token = Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
            sent.add(token);
            String path = op.path().replaceAll("\\{[^}]+}", UUID.randomUUID() + "x" + token) + "?q" + token + "=" + token;
            RawHttp.service().send(op.method(), path, auth, op.method().equals("GET") ? null : "{}".getBytes());
        }
        for (int i = 0; i < 20; i++) {
            String token = Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
            sent.add(token);
            RawHttp.service().send("GET", "/r" + token + "/" + UUID.randomUUID(), auth, null);
            RawHttp.service().send("POST", "/api/v1/tasks/" + UUID.randomUUID() + "/n" + token, auth, "{}".getBytes());
            RawHttp.service().send("M" + token.toUpperCase().replaceAll("[^A-Z]", "") + "X", "/api/v1/tasks", auth, null);
            // Refused before routing (RequestGuard): a control character in the path or a parameter, too large a request.
            RawHttp.service().send("GET", "/api/v1/tasks/" + token + "%00", auth, null);
            RawHttp.service().send("GET", "/g" + token + "/x?q=%07", auth, null);
            RawHttp.service().send("GET", "/h" + token, Map.of("Authorization", auth.get("Authorization"),
                    "X-Pad", "p".repeat(24_000)), null);
        }
    }

    @Test
    void httpSeriesStayBoundedAfterThousandsOfRequestsWithRandomIdsPathsAndQueries() {
        List<OpenApiDocument.Operation> ops = OpenApiDocument.ofServiceUnderTest().operations();
        Set<String> routes = new HashSet<>();
        ops.forEach(op -> routes.add(op.path()));
        Set<String> sent = new HashSet<>();
        int requests = 0;
        for (int i = 0; i < 12; i++) {
            randomRound(ops, sent);
            requests += ops.size() + 120;
        }
        Metrics first = Metrics.scrape();
        for (int i = 0; i < 12; i++) {
            randomRound(ops, sent);
            requests += ops.size() + 120;
        }
        Metrics second = Metrics.scrape();
        assertTrue(requests >= 2000, "thousands of requests: " + requests);

        // The same shapes of request with new ids and queries add no series.
        assertEquals(first.series(HTTP).size(), second.series(HTTP).size(), "new ids made new series");
        for (Metrics.Series s : second.series()) {
            for (String value : s.labels().values()) {
                for (String token : sent) {
                    assertTrue(!value.contains(token), "a request's id or query became a label value: " + s);
                }
            }
        }
        // A request is labelled by its route template, or NOT_FOUND / REDIRECTION, nothing else, even one refused
        // before it reached a route.
        Set<String> uris = second.labelValues(HTTP, "uri");
        Set<String> allowed = new HashSet<>(routes);
        allowed.addAll(Set.of("NOT_FOUND", "REDIRECTION", "/q/openapi", "/q/metrics"));
        assertTrue(allowed.containsAll(uris), "labels other than route templates: " + difference(uris, allowed));
        Set<String> methods = second.labelValues(HTTP, "method");
        assertTrue(METHODS.containsAll(methods), "methods: " + methods);
        Set<String> statuses = second.labelValues(HTTP, "status");
        // The bound: every route (and the two catch-alls) by every method by every status, each label set 15 series.
        long bound = (long) (routes.size() + 4) * METHODS.size() * statuses.size() * SERIES_PER_LABEL_SET;
        assertTrue(second.series(HTTP).size() <= bound, second.series(HTTP).size() + " series > " + bound);
        // And in practice: a route has a few methods and statuses, not all of them.
        long labelSets = second.series(HTTP + "_count").size();
        assertTrue(labelSets <= 6L * (routes.size() + 4), labelSets + " label sets for " + routes.size() + " routes");
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> d = new HashSet<>(a);
        d.removeAll(b);
        return d;
    }

    @Test
    void dispatchingAnItemCountsItAndItsEventsWaitInTheOutbox() {
        String lead = Fixture.unit("L");
        String assist = Fixture.unit("A");
        String draft = Fixture.draft(lead, List.of(assist));
        Metrics before = Metrics.scrape();

        act(DevTokens.supervisor(), "/api/v1/tasks/" + draft + "/dispatch", null).statusCode(200);

        Metrics after = Metrics.scrape();
        assertEquals(before.value("duban_items_dispatched_total") + 1, after.value("duban_items_dispatched_total"));
        assertEquals(before.value("duban_items_open") + 1, after.value("duban_items_open"),
                "the item is open, under one of the lights");
        assertEquals(before.value("duban_outbox_backlog") + 2, after.value("duban_outbox_backlog"),
                "one ITEM_DISPATCHED per unit waits for the relay");
        assertTrue(after.value("duban_outbox_lag_seconds") >= 0);
    }

    @Test
    void anUrgeIsCountedPerUrgedUnitAndARefusedOneIsNot() {
        String lead = Fixture.unit("L");
        String item = Fixture.dispatched(lead, List.of());
        double before = Metrics.scrape().value("duban_urges_sent_total");

        act(DevTokens.supervisor(), "/api/v1/tasks/" + item + "/urge", Map.of("unitCode", lead, "message", "请加快办理。"))
                .statusCode(200);
        act(DevTokens.supervisor(), "/api/v1/tasks/" + item + "/urge", Map.of("unitCode", "NOSUCHUNIT", "message", "请加快办理。"))
                .statusCode(org.hamcrest.Matchers.greaterThanOrEqualTo(400));

        assertEquals(before + 1, Metrics.scrape().value("duban_urges_sent_total"));
    }

    @Test
    void theOpenItemGaugeCountsByLight() {
        Metrics m = Metrics.scrape();
        List<String> levels = new ArrayList<>(m.labelValues("duban_items_open", "level"));
        levels.sort(null);
        assertEquals(List.of("GREEN", "RED", "YELLOW"), levels);
    }
}
