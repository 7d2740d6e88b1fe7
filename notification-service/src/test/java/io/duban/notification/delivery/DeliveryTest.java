package io.duban.notification.delivery;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMailUtil;
import io.agroal.api.AgroalDataSource;
import io.duban.common.domain.AssignmentRole;
import io.duban.common.domain.AssignmentStatus;
import io.duban.common.domain.FeedbackCycle;
import io.duban.common.domain.ItemStatus;
import io.duban.common.domain.Priority;
import io.duban.common.events.Event;
import io.duban.common.events.EventData;
import io.duban.common.events.Events;
import io.duban.common.time.Backoff;
import io.duban.notification.tracking.EventApplied;
import io.duban.notification.tracking.NotificationCreated;
import io.duban.testing.DevTokens;
import io.duban.testing.Metrics;
import io.duban.testing.Pages;
import io.duban.testing.PostgresTestResource;
import io.duban.testing.SettableClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Deliveries end to end against real servers on loopback: notices fired as CDI events (as the inbox
 * fires them) reach GreenMail as Chinese e-mail and the SMS gateway as HTTP requests, with addresses
 * from a directory that answers in task-service's format; applied events reach webhook subscribers,
 * signed; failures back off, fail, and an admin's retry sends them. The worker is ticked by the test
 * on a pinned clock.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = DeliveryPeersResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDateTime MONDAY_10 = LocalDateTime.of(2026, 10, 12, 10, 0);
    private static DeliveryPeers peers;

    @Inject
    jakarta.enterprise.event.Event<NotificationCreated> notices;
    @Inject
    jakarta.enterprise.event.Event<EventApplied> applied;
    @Inject
    DeliveryWorker worker;
    @Inject
    SettableClock clock;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    DeliveryConfig config;
    @Inject
    io.duban.notification.IdempotencyKeys keys;

    @BeforeAll
    static void startPeers() {
        peers = DeliveryPeers.start();
    }

    @AfterAll
    static void stopPeers() {
        peers.stop();
    }

    @BeforeEach
    void pinClock() {
        clock.pin(MONDAY_10);
            }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void anUrgeReachesTheUnitsMailboxesInChineseWithItsItemDeadlineAndLink() throws Exception {
        String unit = unitCode();
        peers.unit(unit, "市发展改革委", unit.toLowerCase() + "@fgw.example.gov.cn", "0571-87000001", List.of(
                DeliveryPeers.person("zhang." + unit, unit, "handler", "zhang." + unit + "@fgw.example.gov.cn", "13800000001"),
                DeliveryPeers.person("li." + unit, unit, "handler", null, null),
                DeliveryPeers.person("boss." + unit, unit, "leader", "boss." + unit + "@fgw.example.gov.cn", "13800000009"),
                left(DeliveryPeers.person("wang." + unit, unit, "handler", "wang." + unit + "@fgw.example.gov.cn", "13800000002"))));
        UUID item = UUID.randomUUID();
        NotificationCreated notice = notice("URGE", unit, null, item, Map.of("itemNumber", "DB-2026-0042",
                "title", "关于推进老旧小区改造工作的批示", "deadline", "2026-10-09", "workingDaysLeft", "-2"));

        fire(notice);
        worker.tick();

        Map<String, MimeMessage> mail = mailTo(Set.of(unit.toLowerCase() + "@fgw.example.gov.cn",
                "zhang." + unit + "@fgw.example.gov.cn"));
        // On failure, the delivery log says why (an SMTP error and its next attempt, or nothing tried).
        assertEquals(2, mail.size(), "the unit's address and its handler's, not the leader's nor the one who left: " + mail.keySet()
                + "; the deliveries: " + deliveries("notificationId=" + notice.notificationId()));
        for (MimeMessage m : mail.values()) {
            assertEquals("【催办】DB-2026-0042 关于推进老旧小区改造工作的批示", m.getSubject());
            String body = text(m);
            assertTrue(body.contains("督查室对您单位承办的督办事项发出催办"), body);
            assertTrue(body.contains("催办意见：请于本周内报送办理情况"), body);
            assertTrue(body.contains("事项编号：DB-2026-0042"), body);
            assertTrue(body.contains("事项名称：关于推进老旧小区改造工作的批示"), body);
            assertTrue(body.contains("办理期限：2026年10月9日"), body);
            assertTrue(body.contains("办理进度：已逾期 2 个工作日"), body);
            assertTrue(body.contains("查看事项：https://duban.example.gov.cn/api/v1/tasks/" + item), body);
            assertEquals("duban@test.local", ((InternetAddress) m.getFrom()[0]).getAddress());
        }

        List<DeliveryPeers.Request> sms = smsFor(Set.of("0571-87000001", "13800000001"));
        assertEquals(2, sms.size(), "the unit's phone and its handler's: " + sms);
        for (DeliveryPeers.Request r : sms) {
            assertEquals("POST", r.method());
            assertEquals("Bearer sms-account-key", r.headers().get("authorization"));
            JsonNode body = JSON.readTree(r.body());
            assertEquals(r.query().substring(3), java.net.URLEncoder.encode(body.get("mobile").asText(), StandardCharsets.UTF_8));
            assertEquals("【督查督办】催办：DB-2026-0042《关于推进老旧小区改造工作的批示》，期限2026年10月9日，已逾期 2 个工作日，请登录系统确认。",
                    body.get("content").asText());
        }

        JsonNode log = deliveries("notificationId=" + notice.notificationId());
        assertEquals(4, log.get("items").size(), log.toString());
        for (JsonNode d : log.get("items")) {
            assertEquals("SENT", d.get("status").asText(), d.toString());
            assertEquals(1, d.get("attempts").asInt());
            assertEquals(unit, d.get("unitCode").asText());
            assertEquals(item.toString(), d.get("itemId").asText());
        }
        assertEquals(Set.of("EMAIL", "SMS"), field(log, "channel"));
        assertEquals(Set.of(unit.toLowerCase() + "@fgw.example.gov.cn", "zhang." + unit + "@fgw.example.gov.cn",
                "0571-87000001", "13800000001"), field(log, "recipient"));
    }

    @Test
    void aReminderForOnePersonGoesToThatPersonOnlyAndTheDirectoryIsAskedOncePerCachePeriod() throws Exception {
        String unit = unitCode();
        String wang = "wang." + unit.toLowerCase();
        peers.unit(unit, "市住建局", unit.toLowerCase() + "@zjj.example.gov.cn", null, List.of(
                DeliveryPeers.person(wang, unit, "handler", wang + "@zjj.example.gov.cn", "13900000002"),
                DeliveryPeers.person("zhao." + unit, unit, "handler", "zhao." + unit + "@zjj.example.gov.cn", null)));
        UUID item = UUID.randomUUID();
        NotificationCreated first = notice("DEADLINE_REMINDER", unit, wang, item, Map.of("itemNumber", "DB-2026-0107",
                "title", "城市内涝治理项目推进", "deadline", "2026-10-15", "workingDaysLeft", "3"));
        NotificationCreated second = notice("DEADLINE_REMINDER", unit, wang, item, Map.of("itemNumber", "DB-2026-0107",
                "title", "城市内涝治理项目推进", "deadline", "2026-10-15", "workingDaysLeft", "1"));

        fire(first);
        worker.tick();
        clock.advance(Duration.ofMinutes(5));
        fire(second);
        worker.tick();

        List<MimeMessage> toWang = Arrays.stream(peers.mail.getReceivedMessagesForDomain(wang + "@zjj.example.gov.cn"))
                .filter(m -> recipients(m).contains(wang + "@zjj.example.gov.cn")).toList();
        assertEquals(2, toWang.size());
        Set<String> subjects = new TreeSet<>();
        for (MimeMessage m : toWang) {
            subjects.add(m.getSubject());
            assertTrue(text(m).contains("您单位承办的督办事项即将到期"), text(m));
        }
        assertEquals(Set.of("【到期提醒】DB-2026-0107 城市内涝治理项目推进（距办理期限还有 1 个工作日）",
                "【到期提醒】DB-2026-0107 城市内涝治理项目推进（距办理期限还有 3 个工作日）"), subjects);
        assertEquals(0, peers.mail.getReceivedMessagesForDomain("zhao." + unit + "@zjj.example.gov.cn").length);
        assertEquals(1, peers.directoryReads.get(unit).get(), "the second notice used the cached contacts");
        assertEquals(List.of(), peers.refusedTokens, "the directory was read with a service token");

        JsonNode sms = deliveries("notificationId=" + first.notificationId() + "&channel=SMS").get("items");
        assertEquals("13900000002", sms.get(0).get("recipient").asText());
        assertEquals("SENT", sms.get(0).get("status").asText());

        clock.advance(config.directory().cacheTtl());
        fire(notice("DEADLINE_REMINDER", unit, wang, item, Map.of("itemNumber", "DB-2026-0107", "workingDaysLeft", "0")));
        worker.tick();
        assertEquals(2, peers.directoryReads.get(unit).get(), "after the cache period the directory is asked again");
    }

    @Test
    void aUnitWithoutAnAddressIsSkippedVisiblyAndAnUnknownUnitToo() {
        String unit = unitCode();
        peers.unit(unit, "某街道办", null, null, List.of(DeliveryPeers.person("x." + unit, unit, "handler", null, null)));
        NotificationCreated noAddress = notice("ESCALATION", unit, null, UUID.randomUUID(), Map.of());
        NotificationCreated unknown = notice("ESCALATION", unitCode(), null, UUID.randomUUID(), Map.of());
        fire(noAddress);
        fire(unknown);
        worker.tick();

        for (JsonNode d : deliveries("notificationId=" + noAddress.notificationId()).get("items")) {
            assertEquals("SKIPPED", d.get("status").asText(), d.toString());
            assertTrue(d.get("lastError").asText().startsWith("目录中没有单位 " + unit + " 的"), d.toString());
            assertTrue(d.get("recipient").isNull());
        }
        JsonNode u = deliveries("notificationId=" + unknown.notificationId()).get("items");
        assertEquals(2, u.size());
        assertEquals("目录中没有单位 " + unknown.unitCode(), u.get(0).get("lastError").asText());
    }

    /**
     * Last of the class, so that no other test sends through a restarted server. (The 30 s waits once
     * blamed on this restart were quarkus-mailer's client losing a greeting; see EmailSender.)
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void anEmailThatTheSmtpServerDoesNotTakeIsRetriedLaterAndArrives() throws Exception {
        String unit = unitCode();
        String address = unit.toLowerCase() + "@sfj.example.gov.cn";
        peers.unit(unit, "市司法局", address, null, List.of());
        NotificationCreated notice = notice("OVERDUE_REMINDER", unit, null, UUID.randomUUID(), Map.of("itemNumber",
                "DB-2026-0311", "title", "行政复议案件办理", "deadline", "2026-10-09", "overdueWorkingDays", "1"));
        fire(notice);

        peers.stopMail();
        try {
            worker.tick();
        } finally {
            peers.startMail();
        }
        JsonNode d = deliveries("notificationId=" + notice.notificationId() + "&channel=EMAIL").get("items").get(0);
        assertEquals("PENDING", d.get("status").asText(), d.toString());
        assertEquals(1, d.get("attempts").asInt());
        assertEquals(address, d.get("recipient").asText(), "the address was found before the SMTP server failed");
        assertTrue(d.get("lastError").asText().startsWith("SMTP: "), d.toString());
        assertEquals(0, peers.mail.getReceivedMessages().length);

        clock.advance(config.backoff().longest());
        worker.tick();
        d = deliveries("notificationId=" + notice.notificationId() + "&channel=EMAIL").get("items").get(0);
        assertEquals("SENT", d.get("status").asText(), d.toString());
        assertEquals(2, d.get("attempts").asInt());
        MimeMessage m = mailTo(Set.of(address)).get(address);
        assertEquals("【逾期提醒】DB-2026-0311 行政复议案件办理（已逾期 1 个工作日）", m.getSubject());
        assertTrue(text(m).contains("您单位承办的督办事项已超过办理期限"), text(m));
    }

    @Test
    void aSignedWebhookReachesEachSubscriberOfItsTypeOnceAndItsSignatureVerifies() throws Exception {
        String secret = "s3cret-" + UUID.randomUUID();
        String urged = subscribe("/hooks/urged-" + UUID.randomUUID(), List.of("ITEM_URGED"), secret);
        String all = subscribe("/hooks/all-" + UUID.randomUUID(), List.of("*"), "another-secret-of-16+");
        String completed = subscribe("/hooks/completed-" + UUID.randomUUID(), List.of("ITEM_COMPLETED"), "third-secret-0123456");

        JsonNode listed = JSON.valueToTree(Pages.all(DevTokens.service(), "/api/v1/subscriptions", 200));
        assertFalse(listed.toString().contains(secret), "the secret is never returned");
        assertFalse(listed.get(0).has("secret"));

        Event event = urgedEvent(unitCode());
        fireApplied(event);
        fireApplied(event);
        worker.tick();

        List<DeliveryPeers.Request> got = hooksTo(urged);
        assertEquals(1, got.size(), "one POST per event and subscription, however often the event is applied");
        DeliveryPeers.Request r = got.get(0);
        assertTrue(verifies(secret, r), "the signature verifies with the subscriber's secret: " + r.headers());
        assertFalse(verifies("not-the-secret-at-all", r));
        assertEquals(String.valueOf(MONDAY_10.atZone(SettableClock.ZONE).toEpochSecond()), r.headers().get("x-duban-timestamp"));
        assertEquals("ITEM_URGED", r.headers().get("x-duban-event-type"));
        assertEquals(event.eventId().toString(), r.headers().get("x-duban-event-id"));
        assertEquals(event, Events.read(r.body()), "the body is the event in its published JSON form");
        assertEquals(1, hooksTo(all).size());
        assertTrue(verifies("another-secret-of-16+", hooksTo(all).get(0)));
        assertEquals(0, hooksTo(completed).size());

        assertEquals("SENT", onlyDelivery(event, urged).get("status").asText());
        assertEquals("SENT", onlyDelivery(event, all).get("status").asText());
        assertEquals(0, deliveries("eventId=" + event.eventId() + "&recipient=" + completed).get("items").size());
    }

    @Test
    void aFailingWebhookBacksOffThenFailsVisiblyAndAnAdminRetrySendsIt() throws Exception {
        String secret = "retry-secret-" + UUID.randomUUID();
        String url = subscribe("/hooks/flaky-" + UUID.randomUUID(), List.of("ITEM_URGED"), secret);
        Event event = urgedEvent(unitCode());
        fireApplied(event);
        Backoff backoff = config.backoff();
        Map<String, String> webhookRetry = Map.of("channel", "WEBHOOK", "outcome", "retry");
        Map<String, String> webhookFailed = Map.of("channel", "WEBHOOK", "outcome", "failed");
        Metrics before = Metrics.scrape();

        peers.answerHook(url, 500);
        worker.tick();
        assertTrue(Metrics.scrape().value("duban_deliveries_failed_total", webhookRetry)
                >= before.value("duban_deliveries_failed_total", webhookRetry) + 1, "a failed attempt is counted");
        JsonNode d = onlyDelivery(event, url);
        assertEquals("PENDING", d.get("status").asText());
        assertEquals(1, d.get("attempts").asInt());
        assertTrue(d.get("lastError").asText().contains("HTTP 500"), d.toString());
        Duration wait = Duration.between(clock.instant(), OffsetDateTime.parse(d.get("nextAttemptAt").asText()).toInstant());
        assertTrue(wait.compareTo(config.initialBackoff()) >= 0
                && wait.compareTo(config.initialBackoff().multipliedBy(12).dividedBy(10)) <= 0, "first wait " + wait);

        worker.tick();
        assertEquals(1, hooksTo(url).size(), "not due yet: no second attempt");

        clock.advance(wait);
        peers.answerHook(url, 503);
        worker.tick();
        d = onlyDelivery(event, url);
        assertEquals(2, d.get("attempts").asInt());
        Duration secondWait = Duration.between(clock.instant(), OffsetDateTime.parse(d.get("nextAttemptAt").asText()).toInstant());
        assertTrue(secondWait.compareTo(config.initialBackoff().multipliedBy(2)) >= 0, "the wait doubles: " + secondWait);

        clock.advance(backoff.longest());
        peers.answerHook(url, 500);
        worker.tick();
        d = onlyDelivery(event, url);
        assertEquals("FAILED", d.get("status").asText(), "after max-attempts (3) it fails");
        Metrics failed = Metrics.scrape();
        assertTrue(failed.value("duban_deliveries_failed_total", webhookFailed)
                >= before.value("duban_deliveries_failed_total", webhookFailed) + 1, "giving up is counted as failed");
        assertEquals(3, d.get("attempts").asInt());
        assertTrue(d.get("nextAttemptAt").isNull());
        assertEquals(3, hooksTo(url).size());
        String id = d.get("id").asText();
        assertTrue(ids(deliveries("status=FAILED&channel=WEBHOOK&limit=200")).contains(id) || failedFoundPaging(id),
                "the failed delivery is listed among the failed ones");

        clock.advance(Duration.ofDays(1));
        worker.tick();
        assertEquals(3, hooksTo(url).size(), "a failed delivery is not attempted again by itself");

        given().auth().oauth2(DevTokens.supervisor()).post("/api/v1/deliveries/" + id + "/retry").then().statusCode(403);
        given().auth().oauth2(DevTokens.admin()).post("/api/v1/deliveries/" + id + "/retry")
                .then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("PENDING"))
                .body("attempts", org.hamcrest.Matchers.equalTo(0));
        peers.answerHook(url, 204);
        worker.tick();
        d = onlyDelivery(event, url);
        assertEquals("SENT", d.get("status").asText());
        assertTrue(Metrics.scrape().value("duban_deliveries_sent_total", Map.of("channel", "WEBHOOK"))
                >= failed.value("duban_deliveries_sent_total", Map.of("channel", "WEBHOOK")) + 1);
        assertEquals(1, d.get("attempts").asInt());
        assertEquals(4, hooksTo(url).size());
        assertTrue(verifies(secret, hooksTo(url).get(3)));

        given().auth().oauth2(DevTokens.admin()).header("Accept-Language", "en").post("/api/v1/deliveries/" + id + "/retry")
                .then().statusCode(409).contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.equalTo("The delivery is sent; only a failed one can be retried."));
        given().auth().oauth2(DevTokens.admin()).post("/api/v1/deliveries/" + UUID.randomUUID() + "/retry")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aDeliveryClaimedByAnotherInstanceIsSkippedNotSentTwice() throws Exception {
        String url = subscribe("/hooks/claimed-" + UUID.randomUUID(), List.of("ITEM_URGED"), "claim-secret-0123456789");
        Event held = urgedEvent(unitCode());
        Event free = urgedEvent(unitCode());
        fireApplied(held);
        fireApplied(free);
        String heldId = onlyDelivery(held, url).get("id").asText();

        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement lock = other.prepareStatement("SELECT id FROM delivery WHERE id = ? FOR UPDATE")) {
                lock.setObject(1, UUID.fromString(heldId));
                try (ResultSet rs = lock.executeQuery()) {
                    assertTrue(rs.next());
                }
            }
            worker.tick();
            assertEquals("PENDING", onlyDelivery(held, url).get("status").asText(), "held by the other instance: skipped");
            assertEquals(0, onlyDelivery(held, url).get("attempts").asInt());
            assertEquals("SENT", onlyDelivery(free, url).get("status").asText());
            other.rollback();
        }
        worker.tick();
        assertEquals("SENT", onlyDelivery(held, url).get("status").asText());
        assertEquals(2, hooksTo(url).size());
    }

    @Test
    void subscriptionsComePageByPageEachOnce() {
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            mine.add(subscribe("/hooks/paged-" + i + "-" + UUID.randomUUID(), List.of("ITEM_URGED"), "paged-secret-0123456"));
        }
        // One at a time, the same list in the same order as in pages of 200, each subscription once.
        List<Map<String, Object>> one = Pages.all(DevTokens.admin(), "/api/v1/subscriptions", 1);
        List<Object> ids = one.stream().map(s -> s.get("id")).toList();
        assertEquals(Pages.all(DevTokens.admin(), "/api/v1/subscriptions", 200).stream().map(s -> s.get("id")).toList(), ids);
        assertTrue(one.stream().map(s -> s.get("url")).toList().containsAll(mine));
        assertEquals(new java.util.HashSet<>(ids).size(), ids.size());
        String cursor = given().auth().oauth2(DevTokens.admin()).get("/api/v1/subscriptions?limit=1").then().statusCode(200)
                .extract().path("nextCursor");
        given().auth().oauth2(DevTokens.admin()).queryParam("cursor", cursor).get("/api/v1/deliveries").then()
                .statusCode(400).body("code", org.hamcrest.Matchers.equalTo("bad-cursor"));
        given().auth().oauth2(DevTokens.admin()).queryParam("limit", 201).get("/api/v1/subscriptions").then()
                .statusCode(422).body("errors[0].field", org.hamcrest.Matchers.equalTo("limit"));
    }

    @Test
    void aSubscriptionIsRefusedWithReasonsAndNothingIsKept() {
        int before = Pages.all(DevTokens.admin(), "/api/v1/subscriptions", 200).size();
        for (Map<String, Object> body : List.of(
                Map.<String, Object>of("url", "ftp://127.0.0.1/x", "eventTypes", List.of("ITEM_URGED"), "secret", "0123456789abcdef"),
                Map.<String, Object>of("url", "http://127.0.0.1/x", "eventTypes", List.of("NO_SUCH_TYPE"), "secret", "0123456789abcdef"),
                Map.<String, Object>of("url", "http://127.0.0.1/x", "eventTypes", List.of("ITEM_URGED"), "secret", "short"),
                Map.<String, Object>of("url", "http://127.0.0.1/x", "eventTypes", List.of(), "secret", "0123456789abcdef"))) {
            given().auth().oauth2(DevTokens.admin()).contentType(ContentType.JSON).body(body).post("/api/v1/subscriptions")
                    .then().statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(400), org.hamcrest.Matchers.is(422)))
                    .contentType("application/problem+json");
        }
        given().auth().oauth2(DevTokens.admin()).header("Accept-Language", "en").contentType(ContentType.JSON)
                .body(Map.of("url", "ftp://127.0.0.1/x", "eventTypes", List.of("ITEM_URGED"), "secret", "0123456789abcdef"))
                .post("/api/v1/subscriptions").then().statusCode(422)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("url"))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("absolute http:// or https:// URL"));
        given().auth().oauth2(DevTokens.handler("FGW")).contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1/x", "eventTypes", List.of("ITEM_URGED"), "secret", "0123456789abcdef"))
                .post("/api/v1/subscriptions").then().statusCode(403);
        int after = Pages.all(DevTokens.admin(), "/api/v1/subscriptions", 200).size();
        assertEquals(before, after);
    }

    @Test
    void aStoppedSubscriptionGetsNothingMoreNotEvenWhatWasQueued() throws Exception {
        String stopped = subscribe("/hooks/stopped-" + UUID.randomUUID(), List.of("ITEM_URGED"), "stopped-secret-0123");
        String kept = subscribe("/hooks/kept-" + UUID.randomUUID(), List.of("ITEM_URGED"), "kept-secret-01234567");
        JsonNode listed = JSON.valueToTree(Pages.all(DevTokens.admin(), "/api/v1/subscriptions", 200));
        String id = null;
        for (JsonNode s : listed) {
            if (s.get("url").asText().equals(stopped)) {
                id = s.get("id").asText();
            }
        }
        Event queued = urgedEvent(unitCode());
        fireApplied(queued);
        String etag = given().auth().oauth2(DevTokens.admin()).get("/api/v1/subscriptions/" + id).then().statusCode(200)
                .extract().header("ETag");
        given().auth().oauth2(DevTokens.service()).header("If-None-Match", etag).get("/api/v1/subscriptions/" + id).then()
                .statusCode(304);

        given().auth().oauth2(DevTokens.handler("FGW")).delete("/api/v1/subscriptions/" + id).then().statusCode(403);
        given().auth().oauth2(DevTokens.admin()).delete("/api/v1/subscriptions/" + id).then().statusCode(204);
        given().auth().oauth2(DevTokens.admin()).delete("/api/v1/subscriptions/" + id).then().statusCode(204);
        given().auth().oauth2(DevTokens.admin()).delete("/api/v1/subscriptions/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(DevTokens.admin()).header("If-None-Match", etag).get("/api/v1/subscriptions/" + id).then()
                .statusCode(200).body("active", org.hamcrest.Matchers.equalTo(false))
                .header("ETag", org.hamcrest.Matchers.not(etag));

        worker.tick();
        assertEquals(0, hooksTo(stopped).size(), "what was queued before the stop is not sent");
        assertEquals("SKIPPED", onlyDelivery(queued, stopped).get("status").asText());
        assertEquals(1, hooksTo(kept).size());

        Event later = urgedEvent(unitCode());
        fireApplied(later);
        worker.tick();
        assertEquals(0, deliveries("eventId=" + later.eventId() + "&recipient=" + stopped).get("items").size(),
                "nothing is queued for a stopped subscription");
        assertEquals(2, hooksTo(kept).size());
    }

    @Test
    void aRetriedSubscriptionWithItsKeyIsCreatedOnce() {
        String key = "subscribe-" + UUID.randomUUID();
        Map<String, Object> body = Map.of("url", peers.baseUrl + "/hooks/idempotent", "eventTypes", List.of("EXTENSION_REJECTED"),
                "secret", "0123456789abcdef", "description", "重试的订阅");
        int before = Pages.all(DevTokens.admin(), "/api/v1/subscriptions", 200).size();
        var first = given().auth().oauth2(DevTokens.admin()).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(body).post("/api/v1/subscriptions").then().statusCode(201).extract();
        var retry = given().auth().oauth2(DevTokens.admin()).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(body).post("/api/v1/subscriptions").then().statusCode(201).extract();
        assertEquals("true", retry.header("Idempotent-Replayed"));
        assertEquals(first.header("Location"), retry.header("Location"));
        assertEquals(first.asString(), retry.asString());
        assertEquals(before + 1, Pages.all(DevTokens.admin(), "/api/v1/subscriptions", 200).size());
        // Another secret is another request: the key is refused, and nothing is created.
        Map<String, Object> other = new java.util.HashMap<>(body);
        other.put("secret", "fedcba9876543210");
        given().auth().oauth2(DevTokens.admin()).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(other).post("/api/v1/subscriptions").then().statusCode(422)
                .body("code", org.hamcrest.Matchers.equalTo("idempotency-key-reused"));
        assertEquals(before + 1, Pages.all(DevTokens.admin(), "/api/v1/subscriptions", 200).size());

        // After 48 hours the hourly purge forgets the key: the same request is then a new subscription.
        clock.advance(java.time.Duration.ofHours(49));
        assertTrue(keys.prune() >= 1);
        given().auth().oauth2(DevTokens.admin()).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(body).post("/api/v1/subscriptions").then().statusCode(201)
                .header("Idempotent-Replayed", org.hamcrest.Matchers.nullValue());
        assertEquals(before + 2, Pages.all(DevTokens.admin(), "/api/v1/subscriptions", 200).size());
    }

    // --- helpers ---

    /** A person the directory lists as having left (task-service: active false). */
    private static Map<String, Object> left(Map<String, Object> person) {
        person.put("active", false);
        return person;
    }

    private static String unitCode() {
        return "U" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase();
    }

    private static NotificationCreated notice(String kind, String unit, String username, UUID item, Map<String, String> values) {
        return new NotificationCreated(UUID.randomUUID(), kind, unit, username, item,
                "URGE".equals(kind) ? "督查室催办" : "督办事项提醒", "URGE".equals(kind) ? "请于本周内报送办理情况" : "", values);
    }

    private void fire(NotificationCreated n) {
        QuarkusTransaction.requiringNew().run(() -> notices.fire(n));
    }

    private void fireApplied(Event e) {
        QuarkusTransaction.requiringNew().run(() -> applied.fire(new EventApplied(e, null, null)));
    }

    private static Event urgedEvent(String unit) {
        return new Event(Events.SCHEMA_VERSION, UUID.randomUUID(), OffsetDateTime.of(2026, 10, 12, 9, 30, 0, 0, ZoneOffset.ofHours(8)),
                "liu.yang", UUID.randomUUID(), "DB-2026-0042", "关于推进老旧小区改造工作的批示", Priority.URGENT, ItemStatus.ACTIVE,
                LocalDate.of(2026, 10, 9), unit, AssignmentRole.LEAD, AssignmentStatus.IN_PROGRESS, LocalDate.of(2026, 10, 9),
                FeedbackCycle.WEEKLY, new EventData.ItemUrged("请加快进度", 1));
    }

    private static String subscribe(String path, List<String> types, String secret) {
        String url = peers.baseUrl + path;
        given().auth().oauth2(DevTokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("url", url, "eventTypes", types, "secret", secret, "description", "测试订阅"))
                .post("/api/v1/subscriptions").then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.startsWith("/api/v1/subscriptions/"))
                .body("url", org.hamcrest.Matchers.equalTo(url))
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("secret")));
        return url;
    }

    private static List<DeliveryPeers.Request> hooksTo(String url) {
        String path = url.substring(peers.baseUrl.length());
        synchronized (peers.hooks) {
            return peers.hooks.stream().filter(r -> r.path().equals(path)).toList();
        }
    }

    private static List<DeliveryPeers.Request> smsFor(Set<String> phones) {
        synchronized (peers.sms) {
            return peers.sms.stream().filter(r -> phones.stream()
                    .anyMatch(p -> r.query().equals("to=" + java.net.URLEncoder.encode(p, StandardCharsets.UTF_8)))).toList();
        }
    }

    /** The receiver's own check, as a subscriber would write it: HMAC-SHA256(secret, timestamp + "." + body). */
    private static boolean verifies(String secret, DeliveryPeers.Request r) throws Exception {
        String timestamp = r.headers().get("x-duban-timestamp");
        String signature = r.headers().get("x-duban-signature");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal((timestamp + "." + r.body()).getBytes(StandardCharsets.UTF_8));
        return signature != null && signature.startsWith("sha256=")
                && java.security.MessageDigest.isEqual(expected, HexFormat.of().parseHex(signature.substring(7)));
    }

    private static Map<String, MimeMessage> mailTo(Set<String> addresses) {
        return Arrays.stream(peers.mail.getReceivedMessages())
                .filter(m -> recipients(m).stream().anyMatch(addresses::contains))
                .collect(Collectors.toMap(m -> recipients(m).get(0), m -> m, (a, b) -> {
                    throw new AssertionError("two messages to " + recipients(a));
                }));
    }

    private static List<String> recipients(MimeMessage m) {
        try {
            return Arrays.stream(m.getRecipients(Message.RecipientType.TO)).map(a -> ((InternetAddress) a).getAddress()).toList();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(MimeMessage m) {
        try {
            Object content = m.getContent();
            return content instanceof String s ? s : GreenMailUtil.getBody(m);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode deliveries(String query) {
        try {
            Map<String, String> params = new java.util.LinkedHashMap<>();
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                params.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
            return JSON.readTree(given().auth().oauth2(DevTokens.supervisor()).queryParams(params).get("/api/v1/deliveries")
                    .then().statusCode(200).extract().asString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The event's one delivery to this subscriber (other tests' subscribers may want the event too). */
    private static JsonNode onlyDelivery(Event e, String url) {
        JsonNode items = deliveries("eventId=" + e.eventId() + "&recipient=" + url)
                .get("items");
        assertEquals(1, items.size(), items.toString());
        return items.get(0);
    }

    private static Set<String> field(JsonNode page, String name) {
        Set<String> out = new TreeSet<>();
        page.get("items").forEach(d -> out.add(d.get(name).asText()));
        return out;
    }

    private static Set<String> ids(JsonNode page) {
        return field(page, "id");
    }

    private static boolean failedFoundPaging(String id) {
        String cursor = null;
        do {
            JsonNode page = deliveries("status=FAILED&limit=200" + (cursor == null ? "" : "&cursor=" + cursor));
            if (ids(page).contains(id)) {
                return true;
            }
            cursor = page.path("nextCursor").isTextual() ? page.get("nextCursor").asText() : null;
        } while (cursor != null);
        return false;
    }
}
