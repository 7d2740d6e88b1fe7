package io.duban.report;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duban.report.support.TaskSchemaTestResource;
import io.duban.testing.DevTokens;
import io.duban.testing.SettableClock;
import io.duban.testing.TestDatabase;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Ranking and bulletins on {@link ReportFiguresTest}'s fixture, September 2026 as of 12 October, whose
 * figures that class works out by hand.
 */
@QuarkusTest
@WithTestResource(value = TaskSchemaTestResource.class, scope = TestResourceScope.GLOBAL)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RankingAndBulletinsTest {

    static final String SUPERVISOR = DevTokens.supervisor();

    @Inject
    SettableClock clock;

    @BeforeAll
    void fixture() {
        ReportFiguresTest.build();
        clock.pin(LocalDate.of(2026, 10, 12));
    }

    @AfterAll
    void resetClock() {
        clock.reset();
    }

    static Map<String, Object> entry(JsonPath r, String unit) {
        List<Map<String, Object>> units = r.getList("units");
        return units.stream().filter(u -> unit.equals(u.get("unitCode"))).findFirst().orElseThrow();
    }

    static Map<String, Integer> points(Map<String, Object> entry) {
        Map<String, Integer> out = new HashMap<>();
        for (Object t : (List<?>) entry.get("terms")) {
            Map<?, ?> term = (Map<?, ?>) t;
            out.put((String) term.get("name"), ((Number) term.get("points")).intValue());
        }
        return out;
    }

    @Test
    void theDefaultRuleScoresEachUnitWithItsTermsAndAnAdminCanChangeIt() {
        JsonPath r = given().auth().oauth2(SUPERVISOR).queryParam("period", "2026-09").queryParam("asOf", "2026-10-12")
                .get("/api/v1/reports/ranking").then().statusCode(200).extract().jsonPath();
        // RL: on time 3 × 2 = 6; late 2 × -3 = -6; overdue 1 × -5 = -5; urges 3 × -1 = -3; ratings of its completed
        // items: onTime 优秀 +2, extended and onDeadline 良好 +1 each, late 一般 0, extendedLate 差 -2.
        // 100 + 6 - 6 - 5 - 3 + 2 + 2 + 0 - 2 = 94.
        Map<String, Object> l = entry(r, "RL");
        assertEquals(94, l.get("score"));
        assertEquals(Map.of("base", 100, "onTime", 6, "late", -6, "overdue", -5, "urge", -3, "ratingExcellent", 2,
                "ratingGood", 2, "ratingFair", 0, "ratingPoor", -2), points(l));
        // RM: on time 1 × 2; overdue 1 × -5; urges 1 × -1; assisted 良好 +1: 100 + 2 - 5 - 1 + 1 = 97.
        assertEquals(97, entry(r, "RM").get("score"));
        // RK: nothing but its decline, which the rule does not score: 100, and no on-time rate.
        assertEquals(100, entry(r, "RK").get("score"));
        assertNull(entry(r, "RK").get("onTimeRate"));
        assertEquals(List.of("RK", "RM", "RL"), r.getList("units.unitCode"));
        assertEquals(List.of(1, 2, 3), r.getList("units.rank"));
        // A handler sees their own entry only, with the rank it holds among all units.
        JsonPath own = given().auth().oauth2(DevTokens.handler("RL")).queryParam("period", "2026-09")
                .queryParam("asOf", "2026-10-12").get("/api/v1/reports/ranking").then().statusCode(200).extract()
                .jsonPath();
        assertEquals(List.of("RL"), own.getList("units.unitCode"));
        assertEquals(List.of(3), own.getList("units.rank"));
        assertEquals(List.of(94), own.getList("units.score"));

        // An admin stops counting urges: RL 97, RM 98; a supervisor may not change the rule.
        Map<String, Object> rule = new HashMap<>(given().auth().oauth2(DevTokens.admin()).get("/api/v1/ranking-rules")
                .then().statusCode(200).extract().jsonPath().getMap(""));
        String etag = given().auth().oauth2(DevTokens.admin()).get("/api/v1/ranking-rules").then().extract().header("ETag");
        given().auth().oauth2(SUPERVISOR).header("If-None-Match", etag).get("/api/v1/ranking-rules").then().statusCode(304)
                .header("ETag", etag);
        Map<String, Object> changed = new HashMap<>(rule);
        changed.remove("version");
        changed.remove("updatedBy");
        changed.remove("updatedAt");
        changed.put("urge", 0);
        given().auth().oauth2(SUPERVISOR).contentType(ContentType.JSON).body(changed).put("/api/v1/ranking-rules")
                .then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(DevTokens.admin()).contentType(ContentType.JSON).header("If-Match", "\"999\"").body(changed)
                .put("/api/v1/ranking-rules").then().statusCode(412).contentType("application/problem+json");
        try {
            given().auth().oauth2(DevTokens.admin()).contentType(ContentType.JSON).header("If-Match", etag).body(changed)
                    .put("/api/v1/ranking-rules").then().statusCode(200);
            JsonPath again = given().auth().oauth2(SUPERVISOR).queryParam("period", "2026-09").queryParam("asOf", "2026-10-12")
                    .get("/api/v1/reports/ranking").then().statusCode(200).extract().jsonPath();
            assertEquals(97, entry(again, "RL").get("score"));
            assertEquals(98, entry(again, "RM").get("score"));
        } finally {
            changed.put("urge", -1);
            given().auth().oauth2(DevTokens.admin()).contentType(ContentType.JSON).body(changed).put("/api/v1/ranking-rules")
                    .then().statusCode(200);
        }
        given().auth().oauth2(SUPERVISOR).queryParam("period", "2026-Q5").get("/api/v1/reports/ranking")
                .then().statusCode(422).contentType("application/problem+json");
    }

    @Test
    void bulletinsAreNumberedPerYearWithoutGapsUnderConcurrentCreation() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> made = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                Callable<Integer> create = () -> given().auth().oauth2(SUPERVISOR).contentType(ContentType.JSON)
                        .body(Map.of("period", "2026-09", "asOf", "2026-10-12")).post("/api/v1/bulletins")
                        .then().statusCode(201).extract().jsonPath().getInt("seq");
                made.add(pool.submit(create));
            }
            List<Integer> seqs = new ArrayList<>();
            for (Future<Integer> f : made) {
                seqs.add(f.get());
            }
            seqs.sort(null);
            int first = seqs.get(0);
            assertEquals(List.of(first, first + 1, first + 2, first + 3), seqs);
            // Every number of the year from 1 up is taken once: no gaps, no doubles.
            List<Integer> sorted = new ArrayList<>();
            for (Object seq : ReportFiguresTest.all(bulletins(Map.of("year", 2026, "limit", 200)), "items.seq")) {
                sorted.add((Integer) seq);
            }
            sorted.sort(null);
            for (int i = 0; i < sorted.size(); i++) {
                assertEquals(i + 1, sorted.get(i));
            }
        } finally {
            pool.shutdown();
        }
    }

    /** Every page of the list of bulletins. */
    static List<JsonPath> bulletins(Map<String, ?> query) {
        return ReportFiguresTest.pages(SUPERVISOR, "/api/v1/bulletins", query);
    }

    @Test
    void bulletinsPageNewestFirstAndKeepTheirYearAcrossPages() {
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(SUPERVISOR).contentType(ContentType.JSON).body(Map.of("period", "2026-09"))
                    .post("/api/v1/bulletins").then().statusCode(201);
        }
        // One issued in January 2027, numbered in that year.
        try {
            clock.pin(LocalDate.of(2027, 1, 5));
            given().auth().oauth2(SUPERVISOR).contentType(ContentType.JSON).body(Map.of("period", "2026-12"))
                    .post("/api/v1/bulletins").then().statusCode(201);
        } finally {
            clock.pin(LocalDate.of(2026, 10, 12));
        }
        JsonPath first = given().auth().oauth2(SUPERVISOR).get("/api/v1/bulletins").then().statusCode(200).extract().jsonPath();
        assertEquals(50, first.getInt("limit"));
        List<JsonPath> whole = bulletins(Map.of("limit", 200));
        List<Object> years = ReportFiguresTest.all(whole, "items.year");
        List<Object> seqs = ReportFiguresTest.all(whole, "items.seq");
        List<Object> ids = ReportFiguresTest.all(whole, "items.id");
        assertTrue(years.size() >= 4, "a real test: " + years);
        assertTrue(years.contains(2027) && years.contains(2026), "two years: " + years);
        for (int i = 1; i < years.size(); i++) {
            int y0 = (Integer) years.get(i - 1);
            int y1 = (Integer) years.get(i);
            assertTrue(y0 > y1 || y0 == y1 && (Integer) seqs.get(i - 1) > (Integer) seqs.get(i),
                    "newest first: " + years + " " + seqs);
        }
        // Two a page: every bulletin once, in the same order, and no cursor after the last page.
        List<JsonPath> paged = bulletins(Map.of("limit", 2));
        assertTrue(paged.size() >= 2, "a real test of paging");
        paged.forEach(p -> assertTrue(p.getList("items").size() <= 2));
        assertEquals(ids, ReportFiguresTest.all(paged, "items.id"));
        assertNull(paged.get(paged.size() - 1).getString("nextCursor"));
        // Of 2026 only, a page at a time: the year holds on every page.
        List<JsonPath> of2026 = bulletins(Map.of("year", 2026, "limit", 1));
        List<Object> ids2026 = new ArrayList<>();
        for (int i = 0; i < years.size(); i++) {
            if (years.get(i).equals(2026)) {
                ids2026.add(ids.get(i));
            }
        }
        assertEquals(ids2026, ReportFiguresTest.all(of2026, "items.id"));
        assertEquals(List.of(2026), ReportFiguresTest.all(of2026, "items.year").stream().distinct().toList());
    }

    @Test
    void theRankingDownloadsAsCsvAndAsXlsxWithItsPeriodAndRule() throws Exception {
        JsonPath json = given().auth().oauth2(SUPERVISOR).queryParam("period", "2026-09").queryParam("asOf", "2026-10-12")
                .get("/api/v1/reports/ranking").then().statusCode(200).extract().jsonPath();
        byte[] csv = given().auth().oauth2(SUPERVISOR).accept("text/csv").queryParam("period", "2026-09")
                .queryParam("asOf", "2026-10-12").get("/api/v1/reports/ranking").then().statusCode(200)
                .header("Content-Disposition", org.hamcrest.Matchers.containsString("filename*=UTF-8''"))
                .extract().asByteArray();
        String[] lines = new String(csv, 3, csv.length - 3, java.nio.charset.StandardCharsets.UTF_8).split("\r\n");
        assertEquals("名次,单位代码,单位,得分,按期办结率,计分明细", lines[0]);
        assertEquals(json.getList("units").size() + 1, lines.length);
        assertTrue(lines[3].startsWith("3,RL,市住建局,94,"), lines[3]);
        assertTrue(lines[3].contains("超期未办结 1 × -5 = -5"), lines[3]);

        byte[] xlsx = given().auth().oauth2(SUPERVISOR).accept(ReportFiguresTest.XLSX).queryParam("period", "2026-09")
                .queryParam("asOf", "2026-10-12").get("/api/v1/reports/ranking").then().statusCode(200).extract().asByteArray();
        try (XSSFWorkbook book = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
            assertEquals("考核排名", book.getSheetAt(0).getSheetName());
            assertEquals(json.getList("units.unitCode"), java.util.stream.IntStream.rangeClosed(1, book.getSheetAt(0).getLastRowNum())
                    .mapToObj(i -> book.getSheetAt(0).getRow(i).getCell(1).getStringCellValue()).toList());
            Map<String, String> about = ReportFiguresTest.about(book);
            assertEquals("考核排名（2026-09）", about.get("报表"));
            assertEquals("2026-09-01 至 2026-09-30（按交办日期，含首尾）", about.get("统计期间"));
            assertTrue(about.get("口径").startsWith("基础分 100；按期办结 2；超期办结 -3；超期未办结 -5；被催办 -1"), about.get("口径"));
        }
        // A handler's download holds their own entry only, as the JSON does.
        byte[] own = given().auth().oauth2(DevTokens.handler("RL")).accept("text/csv").queryParam("period", "2026-09")
                .queryParam("asOf", "2026-10-12").get("/api/v1/reports/ranking").then().statusCode(200).extract().asByteArray();
        String[] ownLines = new String(own, 3, own.length - 3, java.nio.charset.StandardCharsets.UTF_8).split("\r\n");
        assertEquals(2, ownLines.length);
        assertTrue(ownLines[1].startsWith("3,RL,"), ownLines[1]);
    }

    @Test
    void aRetriedBulletinWithItsKeyIsTheSameBulletinNotTheNextNumber() {
        String key = "bulletin-" + java.util.UUID.randomUUID();
        Map<String, Object> body = Map.of("period", "2026-09", "asOf", "2026-10-12", "title", "重试的通报");
        var first = given().auth().oauth2(SUPERVISOR).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(body).post("/api/v1/bulletins").then().statusCode(201).extract();
        var retry = given().auth().oauth2(SUPERVISOR).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(body).post("/api/v1/bulletins").then().statusCode(201).extract();
        assertEquals("true", retry.header("Idempotent-Replayed"));
        assertEquals(first.header("Location"), retry.header("Location"));
        assertEquals(first.jsonPath().getString("number"), retry.jsonPath().getString("number"));
        assertEquals(first.jsonPath().prettify(), retry.jsonPath().prettify());
        assertEquals(1, ReportFiguresTest.all(bulletins(Map.of("year", 2026, "limit", 200)), "items.title").stream()
                .filter("重试的通报"::equals).count());
        // The same key for another bulletin is refused, and takes no number.
        int next = given().auth().oauth2(SUPERVISOR).queryParam("year", 2026).get("/api/v1/bulletins").then()
                .statusCode(200).extract().jsonPath().getInt("items[0].seq") + 1;
        given().auth().oauth2(SUPERVISOR).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("period", "2026-08")).post("/api/v1/bulletins").then().statusCode(422)
                .contentType("application/problem+json").body("code", org.hamcrest.Matchers.equalTo("idempotency-key-reused"));
        assertEquals(next, given().auth().oauth2(SUPERVISOR).contentType(ContentType.JSON)
                .body(Map.of("period", "2026-08")).post("/api/v1/bulletins").then().statusCode(201).extract().jsonPath()
                .getInt("seq"));
    }

    @Test
    void aBulletinIsFrozenAndPrintable() throws Exception {
        JsonPath b = given().auth().oauth2(SUPERVISOR).contentType(ContentType.JSON)
                .body(Map.of("period", "2026-09", "asOf", "2026-10-12", "title", "关于2026年9月督查事项办理情况的通报",
                        "preface", "现将9月份督查事项办理情况通报如下。"))
                .post("/api/v1/bulletins").then().statusCode(201).extract().jsonPath();
        String id = b.getString("id");
        assertEquals("督查通报〔2026〕" + b.getInt("seq") + "号", b.getString("number"));
        // The snapshot: the summary's totals, the ranking and the overdue list (see ReportFiguresTest).
        assertEquals(9, b.getInt("snapshot.summary.totals.received"));
        assertEquals(List.of("RK", "RM", "RL"), b.getList("snapshot.ranking.units.unitCode"));
        assertEquals(2, b.getInt("snapshot.overdue.total"));
        var issued = given().auth().oauth2(SUPERVISOR).get("/api/v1/bulletins/" + id).then().statusCode(200).extract();
        String asIssued = issued.jsonPath().prettify();
        given().auth().oauth2(DevTokens.leader()).header("If-None-Match", issued.header("ETag"))
                .get("/api/v1/bulletins/" + id).then().statusCode(304);

        // The overdue item is approved afterwards: the live summary moves, the bulletin does not.
        try {
            sql("UPDATE task.supervision_item SET status = 'COMPLETED', completed_at = '2026-10-11 10:00+08'"
                    + " WHERE number = 'DB-2026-0006'");
            assertEquals(0, given().auth().oauth2(SUPERVISOR).queryParam("asOf", "2026-10-12").queryParam("unit", "RL")
                    .accept("application/json").get("/api/v1/reports/overdue").then().statusCode(200).extract().jsonPath()
                    .getInt("total"));
            assertEquals(asIssued, given().auth().oauth2(DevTokens.handler("RL")).get("/api/v1/bulletins/" + id).then()
                    .statusCode(200).extract().jsonPath().prettify());
        } finally {
            sql("UPDATE task.supervision_item SET status = 'ACTIVE', completed_at = NULL WHERE number = 'DB-2026-0006'");
        }

        String html = given().auth().oauth2(DevTokens.leader()).get("/api/v1/bulletins/" + id + "/print").then()
                .statusCode(200).contentType(org.hamcrest.Matchers.startsWith("text/html")).extract().asString();
        assertTrue(html.contains("督查通报〔2026〕" + b.getInt("seq") + "号"), html);
        assertTrue(html.contains("关于2026年9月督查事项办理情况的通报"));
        assertTrue(html.contains("<p>现将9月份督查事项办理情况通报如下。</p>"));
        assertTrue(html.contains("区政府督查室"));
        assertTrue(html.contains("事项overdue"));

        byte[] xlsx = given().auth().oauth2(SUPERVISOR).accept(ReportFiguresTest.XLSX).get("/api/v1/bulletins/" + id)
                .then().statusCode(200).extract().asByteArray();
        try (XSSFWorkbook book = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
            assertEquals("考核排名", book.getSheetAt(0).getSheetName());
            assertEquals("统计汇总", book.getSheetAt(1).getSheetName());
            assertEquals("超期清单", book.getSheetAt(2).getSheetName());
            assertEquals("市交通局", book.getSheetAt(0).getRow(2).getCell(2).getStringCellValue());
            assertEquals(2, book.getSheetAt(2).getLastRowNum());
        }
        given().auth().oauth2(SUPERVISOR).get("/api/v1/bulletins/" + java.util.UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(DevTokens.leader()).contentType(ContentType.JSON).body(Map.of("period", "2026-09"))
                .post("/api/v1/bulletins").then().statusCode(403);
    }

    private static void sql(String update) throws Exception {
        try (Connection c = TestDatabase.forModule("report-service").admin(); Statement s = c.createStatement()) {
            // task-service's triggers name its tables without the schema.
            s.execute("SET search_path = task");
            s.executeUpdate(update);
        }
    }
}
