package io.duban.task.rest;

import static io.duban.task.support.Fixture.act;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duban.common.feed.FeedToken;
import io.duban.task.support.Fixture;
import io.duban.testing.DevTokens;
import io.duban.testing.PostgresTestResource;
import io.duban.testing.SettableClock;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.Test;

/** The mobile feed: ETag/304, delta sync with removal markers, and only the caller's unit. */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class MyAssignmentsFeedTest {

    @Inject
    SettableClock clock;

    private static final String FEED = "/api/v1/me/assignments";

    @Inject
    SessionFactory sessions;

    @TestHTTPResource(FEED)
    URI feedUri;

    private static ExtractableResponse<Response> poll(String token, String etag, String since) {
        var req = given().auth().oauth2(token);
        if (etag != null) {
            req.header("If-None-Match", etag);
        }
        if (since != null) {
            req.queryParam("changedSince", since);
        }
        return req.get(FEED).then().extract();
    }

    /** Raw HTTP (RestAssured would ask for gzip and inflate behind the test's back). */
    private HttpResponse<byte[]> rawPoll(String token, String... headers) throws IOException, InterruptedException {
        return rawPoll(HttpClient.Version.HTTP_2, token, headers);
    }

    private HttpResponse<byte[]> rawPoll(HttpClient.Version version, String token, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(feedUri).header("Authorization", "Bearer " + token);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HttpClient.newBuilder().version(version).build().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String inflate(byte[] gzip) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String withoutToken(String feedJson) {
        return feedJson.replaceFirst("\"changeToken\":\"[^\"]*\"", "");
    }

    @Test
    void aPhoneThatAcceptsGzipGetsTheSameFeedCompressedWithTheSameEtag() throws Exception {
        String unit = Fixture.unit("G");
        String me = DevTokens.handler(unit);
        for (int i = 0; i < 8; i++) {
            Fixture.dispatched(unit, List.of());
        }

        HttpResponse<byte[]> plain = rawPoll(me);
        assertEquals(200, plain.statusCode());
        assertTrue(plain.headers().firstValue("Content-Encoding").isEmpty(), "a client that did not ask gets no encoding");

        HttpResponse<byte[]> gzip = rawPoll(me, "Accept-Encoding", "gzip");
        assertEquals(200, gzip.statusCode());
        assertEquals("gzip", gzip.headers().firstValue("Content-Encoding").orElse(null));
        // The change token carries the second of the read, so it may differ between the two reads.
        assertEquals(withoutToken(new String(plain.body(), StandardCharsets.UTF_8)), withoutToken(inflate(gzip.body())),
                "the same feed, only compressed");
        assertTrue(gzip.body().length * 3 < plain.body().length,
                "8 assignments compress at least 3:1: " + gzip.body().length + " of " + plain.body().length + " bytes");

        String etag = plain.headers().firstValue("ETag").orElseThrow();
        assertEquals(etag, gzip.headers().firstValue("ETag").orElse(null), "one representation, one validator");
        assertEquals(304, rawPoll(me, "Accept-Encoding", "gzip", "If-None-Match", etag).statusCode());
    }

    @Test
    void theUnitsPhonesShareTheFirstPageBuiltAfterTheLastChangeAndNoQueryIsAskedForIt() throws Exception {
        String unit = Fixture.unit("H");
        String phoneA = DevTokens.token("h-a-" + unit, "handler", unit);
        String phoneB = DevTokens.token("h-b-" + unit, "handler", unit);
        String id = Fixture.dispatched(unit, List.of());
        Fixture.dispatched(unit, List.of());
        HttpClient.Version h1 = HttpClient.Version.HTTP_1_1;

        HttpResponse<byte[]> a = rawPoll(h1, phoneA, "Accept-Encoding", "gzip");
        assertEquals(200, a.statusCode());
        assertEquals("gzip", a.headers().firstValue("Content-Encoding").orElse(null));
        assertEquals("Accept-Encoding", a.headers().firstValue("Vary").orElse(null));
        String etag = a.headers().firstValue("ETag").orElseThrow();
        String page = inflate(a.body());
        assertTrue(page.contains("\"status\":\"PENDING_ACCEPTANCE\""), page);
        // Once the fingerprint is known again (the read ended a transaction of this instance)...
        assertEquals(304, rawPoll(h1, phoneA, "If-None-Match", etag).statusCode());
        sessions.getStatistics().clear();
        HttpResponse<byte[]> b = rawPoll(h1, phoneB, "Accept-Encoding", "gzip");
        assertEquals(0, sessions.getStatistics().getPrepareStatementCount(), "statements for a shared page");
        assertEquals(etag, b.headers().firstValue("ETag").orElse(null));
        assertTrue(java.util.Arrays.equals(a.body(), b.body()), "the same bytes, change token included");
        // Without gzip, and over HTTP/2 (compressed there by the HTTP layer), the same page.
        HttpResponse<byte[]> plain = rawPoll(h1, phoneB);
        assertTrue(plain.headers().firstValue("Content-Encoding").isEmpty());
        assertEquals(page, new String(plain.body(), StandardCharsets.UTF_8));
        HttpResponse<byte[]> h2 = rawPoll(HttpClient.Version.HTTP_2, phoneB, "Accept-Encoding", "gzip");
        assertEquals("gzip", h2.headers().firstValue("Content-Encoding").orElse(null));
        assertEquals(page, inflate(h2.body()));

        // The unit's list changes: the next poll gets a new page with the change, not the kept one.
        act(phoneB, "/api/v1/tasks/" + id + "/assignments/" + unit + "/accept", null).statusCode(200);
        HttpResponse<byte[]> after = rawPoll(h1, phoneA, "Accept-Encoding", "gzip");
        assertEquals(200, after.statusCode());
        assertNotEquals(etag, after.headers().firstValue("ETag").orElse(null));
        String changed = inflate(after.body());
        assertTrue(changed.contains("\"itemId\":\"" + id + "\",\"itemNumber\""), changed);
        assertEquals(List.of("IN_PROGRESS"), io.restassured.path.json.JsonPath.from(changed)
                .getList("assignments.findAll { it.itemId == '" + id + "' }.status"));

        // Another page size and another status filter are pages of their own.
        given().auth().oauth2(phoneA).queryParam("limit", 1).get(FEED).then().statusCode(200)
                .body("assignments", hasSize(1)).body("nextCursor", notNullValue());
        given().auth().oauth2(phoneA).queryParam("status", "DONE").get(FEED).then().statusCode(200)
                .body("assignments", hasSize(0));
        given().auth().oauth2(phoneA).get(FEED).then().statusCode(200).body("assignments", hasSize(2));
    }

    @Test
    void acceptEncodingIsReadWithItsQualities() {
        assertTrue(MeResource.acceptsGzip("gzip"));
        assertTrue(MeResource.acceptsGzip("deflate, GZIP;q=0.5"));
        assertTrue(MeResource.acceptsGzip("br, *"));
        assertTrue(MeResource.acceptsGzip("x-gzip"));
        assertFalse(MeResource.acceptsGzip(null));
        assertFalse(MeResource.acceptsGzip("identity"));
        assertFalse(MeResource.acceptsGzip("gzip;q=0"));
        assertFalse(MeResource.acceptsGzip("gzip; q=0.0, *"), "refused by name, whatever * says");
        assertFalse(MeResource.acceptsGzip("*;q=0"));
        assertFalse(MeResource.acceptsGzip("gzip;q=zero"));
    }

    @Test
    void unchangedPollAnswers304AndAnyActionOnTheUnitsAssignmentChangesIt() {
        String unit = Fixture.unit("M");
        String other = Fixture.unit("X");
        String me = DevTokens.handler(unit);
        String id = Fixture.dispatched(unit, List.of(other));

        var first = poll(me, null, null);
        assertEquals(200, first.statusCode());
        String etag = first.header("ETag");
        assertEquals(1, first.<List<?>>path("assignments").size());
        assertEquals(List.of("accept", "decline"), first.path("assignments[0].actions"));
        assertEquals("LEAD", first.path("assignments[0].role"));
        assertEquals("GREEN", first.path("assignments[0].warning.level"));

        var unchanged = poll(me, etag, null);
        assertEquals(304, unchanged.statusCode());
        assertEquals("", unchanged.asString());
        assertEquals(etag, unchanged.header("ETag"));

        // Another unit's action on the same item does not touch this unit's rows... but the item's
        // version moved, and the row shows it, so the list changes too.
        act(DevTokens.handler(other), "/api/v1/tasks/" + id + "/assignments/" + other + "/accept", null).statusCode(200);
        String afterOther = poll(me, etag, null).header("ETag");
        assertNotEquals(etag, afterOther);

        act(me, "/api/v1/tasks/" + id + "/assignments/" + unit + "/accept", null).statusCode(200);
        var changed = poll(me, afterOther, null);
        assertEquals(200, changed.statusCode());
        assertEquals("IN_PROGRESS", changed.path("assignments[0].status"));
        assertEquals(List.of("progress", "extension-requests"), changed.path("assignments[0].actions"));
        assertEquals(304, poll(me, changed.header("ETag"), null).statusCode());

        // An item action by the office (urge) changes the unit's list as well.
        act(DevTokens.supervisor(), "/api/v1/tasks/" + id + "/urge", Map.of("unitCode", unit, "message", "请加快"))
                .statusCode(200);
        var urged = poll(me, changed.header("ETag"), null);
        assertEquals(200, urged.statusCode());
        assertEquals(1, (int) urged.path("assignments[0].urgeCount"));
    }

    @Test
    void eachRowsActionsFollowTheAssistUnitsAndThePendingExtensionOfItsItem() {
        String lead = Fixture.unit("L");
        String assist = Fixture.unit("A");
        String leadToken = DevTokens.handler(lead);
        String assistToken = DevTokens.handler(assist);
        String id = Fixture.dispatched(lead, List.of(assist));
        String base = "/api/v1/tasks/" + id + "/assignments/";
        act(leadToken, base + lead + "/accept", null).statusCode(200);
        act(assistToken, base + assist + "/accept", null).statusCode(200);
        // The assist unit still owes its submission: the lead unit may not submit yet.
        assertEquals(List.of("progress", "extension-requests"), poll(leadToken, null, null).path("assignments[0].actions"));

        act(leadToken, base + lead + "/extension-requests",
                Map.of("requestedDeadline", LocalDate.now(clock).plusDays(60).toString(), "reason", "需要协调多个部门"))
                .statusCode(201);
        // One pending request at a time.
        assertEquals(List.of("progress"), poll(leadToken, null, null).path("assignments[0].actions"));

        act(assistToken, base + assist + "/submit", Map.of("summary", "协办部分已完成。")).statusCode(200);
        var assistRow = poll(assistToken, null, null);
        assertEquals("SUBMITTED", assistRow.path("assignments[0].status"));
        assertEquals(List.of(), assistRow.path("assignments[0].actions"));
        // Nobody owes anything now: the lead unit may submit, and the action the row names is allowed.
        assertEquals(List.of("progress", "submit"), poll(leadToken, null, null).path("assignments[0].actions"));
        act(leadToken, base + lead + "/submit", Map.of("summary", "已全部完成。")).statusCode(200);

        // Under the office's review the unit has nothing to do on the item.
        var underReview = poll(leadToken, null, null);
        assertEquals("SUBMITTED", underReview.path("assignments[0].status"));
        assertEquals(List.of(), underReview.path("assignments[0].actions"));
    }

    @Test
    void deltaReturnsExactlyTheChangesAndRemovalMarkers() {
        String unit = Fixture.unit("D");
        String elsewhere = Fixture.unit("E");
        String me = DevTokens.handler(unit);
        String keep = Fixture.dispatched(unit, List.of());
        String cancel = Fixture.dispatched(unit, List.of());
        String move = Fixture.dispatched(unit, List.of());
        String untouched = Fixture.dispatched(unit, List.of());

        Fixture.awaitQuietHorizon();
        var full = poll(me, null, null);
        assertEquals(true, full.path("full"));
        assertEquals(4, full.<List<?>>path("assignments").size());
        String token = full.path("changeToken");

        var empty = poll(me, null, token);
        assertEquals(200, empty.statusCode());
        assertEquals(false, empty.path("full"));
        assertEquals(List.of(), empty.path("assignments"));
        assertEquals(List.of(), empty.path("removed"));

        act(me, "/api/v1/tasks/" + keep + "/assignments/" + unit + "/accept", null).statusCode(200);
        act(DevTokens.supervisor(), "/api/v1/tasks/" + cancel + "/cancel", Map.of("reason", "重复交办")).statusCode(200);
        act(DevTokens.supervisor(), "/api/v1/tasks/" + move + "/assignments/" + unit + "/reassign",
                Map.of("toUnit", elsewhere)).statusCode(200);

        given().auth().oauth2(me).queryParam("changedSince", token).get(FEED).then().statusCode(200)
                .body("full", is(false))
                .body("assignments.itemId", contains(keep))
                .body("assignments[0].status", equalTo("IN_PROGRESS"))
                .body("removed.itemId", containsInAnyOrder(cancel, move))
                .body("removed.find { it.itemId == '" + cancel + "' }.status", equalTo("CANCELLED"))
                .body("removed.find { it.itemId == '" + move + "' }.status", equalTo("REASSIGNED"))
                .body("removed.find { it.itemId == '" + move + "' }.statusLabel", equalTo("已转办"))
                .body("assignments.itemId", not(contains(untouched)));

        // The unit that received the reassigned item sees it, and only it.
        given().auth().oauth2(DevTokens.handler(elsewhere)).get(FEED).then().statusCode(200)
                .body("assignments.itemId", contains(move))
                .body("assignments[0].actions", contains("accept", "decline"));
        // A status filter: the completed and cancelled ones are there when asked for.
        given().auth().oauth2(me).queryParam("status", "CANCELLED").get(FEED).then()
                .body("assignments.itemId", contains(cancel));
    }

    @Test
    void aHandlerNeverSeesAnotherUnitsRows() {
        String mine = Fixture.unit("A");
        String theirs = Fixture.unit("B");
        String shared = Fixture.dispatched(mine, List.of(theirs));
        String onlyTheirs = Fixture.dispatched(theirs, List.of());
        String me = DevTokens.handler(mine);
        var full = poll(me, null, null);
        assertEquals(List.of(shared), full.path("assignments.itemId"));
        assertEquals(List.of("LEAD"), full.path("assignments.role"));

        String token = full.path("changeToken");
        act(DevTokens.handler(theirs), "/api/v1/tasks/" + onlyTheirs + "/assignments/" + theirs + "/accept", null)
                .statusCode(200);
        act(DevTokens.handler(theirs), "/api/v1/tasks/" + shared + "/assignments/" + theirs + "/accept", null)
                .statusCode(200);
        given().auth().oauth2(me).queryParam("changedSince", token).get(FEED).then().statusCode(200)
                .body("assignments.itemId", everyItem(equalTo(shared)))
                .body("assignments.role", everyItem(equalTo("LEAD")))
                .body("removed", hasSize(0));
        // Supervisors have no unit feed.
        given().auth().oauth2(DevTokens.supervisor()).get(FEED).then().statusCode(403);
    }

    @Test
    void malformedOrExpiredTokensSendTheClientBackToAFullFetch() {
        String unit = Fixture.unit("T");
        String me = DevTokens.handler(unit);
        given().auth().oauth2(me).queryParam("changedSince", "not-a-token").get(FEED).then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("bad-change-token"));
        String foreign = new FeedToken("notifications", 1, "0-0", Instant.now()).encode();
        given().auth().oauth2(me).queryParam("changedSince", foreign).get(FEED).then().statusCode(400);
        String old = new FeedToken("assignments", 1, "0-0", Instant.now().minus(Duration.ofDays(31))).encode();
        given().auth().oauth2(me).queryParam("changedSince", old).get(FEED).then().statusCode(410)
                .contentType("application/problem+json").body("code", equalTo("change-token-expired"))
                .body("detail", notNullValue());
        given().auth().oauth2(me).get(FEED).then().statusCode(200).body("changeToken", not(emptyString()));
    }

    @Test
    void aLongListComesPageByPageAndTheFirstTokenCatchesWhatChangedMeanwhile() {
        String unit = Fixture.unit("G");
        String me = DevTokens.handler(unit);
        List<String> items = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            items.add(Fixture.dispatched(unit, List.of()));
        }
        var first = given().auth().oauth2(me).queryParam("limit", 3).get(FEED).then().statusCode(200).extract();
        String token = first.path("changeToken");
        List<String> seen = new java.util.ArrayList<>(first.<List<String>>path("assignments.itemId"));
        String cursor = first.path("nextCursor");
        // Meanwhile one item is accepted: it changes after the first page's token was taken.
        act(me, "/api/v1/tasks/" + items.get(6) + "/assignments/" + unit + "/accept", null).statusCode(200);
        int pages = 1;
        while (cursor != null) {
            var page = given().auth().oauth2(me).queryParam("limit", 3).queryParam("cursor", cursor).get(FEED).then()
                    .statusCode(200).extract();
            assertEquals(token, page.path("changeToken"), "every page carries the read's first token");
            seen.addAll(page.<List<String>>path("assignments.itemId"));
            cursor = page.path("nextCursor");
            pages++;
        }
        assertEquals(3, pages);
        assertEquals(new java.util.TreeSet<>(items), new java.util.TreeSet<>(seen));
        assertEquals(7, seen.size(), "no row twice");
        var delta = poll(me, null, token);
        assertEquals(false, delta.path("full"));
        assertTrue(delta.<List<String>>path("assignments.itemId").contains(items.get(6)),
                "the change made while paging comes in the next delta");
        given().auth().oauth2(me).queryParam("cursor", "garbage").get(FEED).then().statusCode(400)
                .body("code", equalTo("bad-cursor"));
        // Our own token in a forged cursor with a delta start no transaction id can be.
        String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("p1|" + token + "|-5|2026-12-01|" + java.util.UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
        given().auth().oauth2(me).queryParam("cursor", forged).get(FEED).then().statusCode(400)
                .body("code", equalTo("bad-cursor"));
        given().auth().oauth2(me).queryParam("limit", 1001).get(FEED).then().statusCode(422);
    }

    @Test
    void anUnchangedPollAsksTheDatabaseNothingOnceTheFingerprintIsKnown() {
        String unit = Fixture.unit("C");
        String me = DevTokens.handler(unit);
        Fixture.dispatched(unit, List.of());
        String etag = poll(me, null, null).header("ETag");
        assertEquals(304, poll(me, etag, null).statusCode());
        sessions.getStatistics().clear();
        assertEquals(304, poll(me, etag, null).statusCode());
        assertEquals(0, sessions.getStatistics().getPrepareStatementCount(), "statements on a warm 304 path");
    }

    @Test
    void aChangeCommittedElsewhereReachesThePollThroughTheDatabasesSignal() throws Exception {
        String unit = Fixture.unit("S");
        String me = DevTokens.handler(unit);
        String id = Fixture.dispatched(unit, List.of());
        var kept = poll(me, null, null);
        assertEquals(List.of(0), kept.<List<Integer>>path("assignments.urgeCount"));
        String etag = kept.header("ETag");
        assertEquals(304, poll(me, etag, null).statusCode());
        // Another task-service instance (here: plain SQL on another connection) changes the unit's list.
        try (var c = io.duban.testing.TestDatabase.forModule("task-service").as("duban_task");
                var s = c.prepareStatement("UPDATE task.assignment SET urge_count = urge_count + 1 WHERE item_id = ?")) {
            c.createStatement().execute("SET search_path = task");
            s.setObject(1, java.util.UUID.fromString(id));
            assertEquals(1, s.executeUpdate());
        }
        int status = 304;
        for (int i = 0; i < 100 && status == 304; i++) {
            Thread.sleep(50);
            status = poll(me, etag, null).statusCode();
        }
        assertEquals(200, status, "the commit's notification dropped the cached fingerprint within 5 s");
        // The first page kept for the old fingerprint is not what a phone gets now.
        assertEquals(List.of(1), poll(me, null, null).<List<Integer>>path("assignments.urgeCount"));
    }

    @Test
    void theNotModifiedPathCostsAtMostOneQuery() {
        String unit = Fixture.unit("C");
        String me = DevTokens.handler(unit);
        for (int i = 0; i < 30; i++) {
            Fixture.dispatched(unit, List.of());
        }
        String etag = poll(me, null, null).header("ETag");
        sessions.getStatistics().clear();
        var r = poll(me, etag, null);
        assertEquals(304, r.statusCode());
        long statements = sessions.getStatistics().getPrepareStatementCount();
        assertTrue(statements <= 1, "statements on the 304 path: " + statements);
    }

    @Test
    void draftsAreNeverAUnitsToSee() {
        String unit = Fixture.unit("P");
        Fixture.draft(unit, List.of());
        given().auth().oauth2(DevTokens.handler(unit)).queryParam("status", "PLANNED").get(FEED).then().statusCode(422)
                .body("errors[0].field", equalTo("status"));
        given().auth().oauth2(DevTokens.handler(unit)).get(FEED).then().statusCode(200).body("assignments", hasSize(0));
    }

    @Test
    void aNewDayTurnsADeltaIntoAFullListBecauseWarningsMoved() {
        String unit = Fixture.unit("N");
        String me = DevTokens.handler(unit);
        clock.pin(LocalDate.of(2026, 9, 28));
        try {
            String id = Fixture.dispatched(unit, List.of());
            Fixture.awaitQuietHorizon();
            String token = poll(me, null, null).path("changeToken");
            var sameDay = poll(me, null, token);
            assertEquals(false, sameDay.path("full"));
            assertEquals(List.of(), sameDay.path("assignments"));
            clock.pin(LocalDate.of(2026, 9, 29));
            var nextDay = poll(me, null, token);
            assertEquals(true, nextDay.path("full"));
            assertEquals(List.of(id), nextDay.path("assignments.itemId"));
        } finally {
            clock.reset();
        }
    }
}
