package io.duban.task.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duban.task.support.Fixture;
import io.duban.testing.DevTokens;
import io.duban.testing.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A title search first walks a few rows in sort order and asks the bigram index only for what lies
 * beyond them (ItemSearch.ListQuery.searched). With a walk of 3 rows and 12 items, every search here
 * crosses that bound: its pages, followed by cursor, hold exactly the items whose title holds the
 * words, in the list's order, whether the page fills within the walk (a frequent word) or only from
 * beyond it (a rare one), in each sort, one unit's list and the whole office's.
 */
@QuarkusTest
@TestProfile(TitleSearchPagesTest.ShortWalk.class)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class TitleSearchPagesTest {

    public static class ShortWalk implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("duban.paging.search-walk", "3");
        }
    }

    private record Item(String id, int n, String title, LocalDate deadline) {
    }

    /** Words no other test's titles hold: four characters of the CJK block, new for each run. */
    private static final String TOKEN = IntStream.range(0, 4)
            .mapToObj(i -> Character.toString(0x4E00 + ThreadLocalRandom.current().nextInt(0x5000)))
            .reduce("", String::concat);
    private static final LocalDate TODAY = LocalDate.now();
    private static String unit;
    private static final List<Item> items = new ArrayList<>();

    /** Once per class, on the first test (a static @BeforeAll runs before the application listens). */
    @BeforeEach
    void createTwelveItems() {
        if (unit != null) {
            return;
        }
        unit = Fixture.unit("S");
        for (int n = 0; n < 12; n++) {
            String title = TOKEN + (n % 3 == 0 ? "河道清淤" : "背街小巷") + "（" + n + "）";
            // Deadlines in another order than creation: 7, 2, 9, 4, 11, 6, 1, 8, 3, 10, 5, 0 days on.
            LocalDate deadline = TODAY.plusDays((n * 7 + 7) % 12);
            Map<String, Object> body = new HashMap<>(Fixture.item(unit, List.of()));
            body.put("title", title);
            body.put("deadline", deadline.toString());
            String id = given().auth().oauth2(DevTokens.supervisor()).contentType(ContentType.JSON).body(body)
                    .post("/api/v1/tasks").then().statusCode(201).extract().path("id");
            items.add(new Item(id, n, title, deadline));
        }
    }

    @Test
    void aFrequentWordsPagesComeFromTheWalkAndRunOnPastIt() {
        expect(TOKEN, "-createdAt", 2, i -> true, Comparator.comparingInt(Item::n).reversed());
        expect(TOKEN, "createdAt", 5, i -> true, Comparator.comparingInt(Item::n));
    }

    @Test
    void aWordOfEveryThirdItemIsFoundOnBothSidesOfTheWalk() {
        Predicate<Item> river = i -> i.n() % 3 == 0;
        expect(TOKEN + "河道", "-createdAt", 2, river, Comparator.comparingInt(Item::n).reversed());
        expect(TOKEN + "河道", "deadline", 1, river, Comparator.comparing(Item::deadline));
        expect(TOKEN + "河道", "-deadline", 3, river, Comparator.comparing(Item::deadline).reversed());
        expect(TOKEN + "背街", "number", 4, i -> i.n() % 3 != 0, Comparator.comparingInt(Item::n));
        // One character has no bigram to look up: a second, longer walk, then the rest by LIKE alone.
        expect("1", "-createdAt", 2, i -> Integer.toString(i.n()).contains("1"),
                Comparator.comparingInt(Item::n).reversed());
    }

    @Test
    void aRareWordFarBeyondTheWalkIsFoundThroughTheIndex() {
        expect("背街小巷（1）", "-createdAt", 20, i -> i.n() == 1, Comparator.comparingInt(Item::n));
        expect(TOKEN + "背街小巷（1）", "deadline", 20, i -> i.n() == 1, Comparator.comparingInt(Item::n));
        expect(TOKEN + "河道清淤（0）", "-createdAt", 1, i -> i.n() == 0, Comparator.comparingInt(Item::n));
        expect(TOKEN + "不存在", "-createdAt", 5, i -> false, Comparator.comparingInt(Item::n));
    }

    /**
     * Follows every page of the search (RestAssured encodes the query) in the unit's list and in the
     * office's; both hold exactly the expected items in order.
     */
    private static void expect(String q, String sort, int limit, Predicate<Item> matches, Comparator<Item> order) {
        List<String> expected = items.stream().filter(matches).sorted(order).map(Item::id).toList();
        assertEquals(expected, follow("/api/v1/tasks?unit=" + unit + "&q=" + q + "&sort=" + sort + "&limit=" + limit),
                "the unit's list, q=" + q + " sort=" + sort + " limit=" + limit);
        if (q.startsWith(TOKEN)) {
            assertEquals(expected, follow("/api/v1/tasks?q=" + q + "&sort=" + sort + "&limit=" + limit),
                    "the office's list, q=" + q + " sort=" + sort + " limit=" + limit);
        }
    }

    private static List<String> follow(String url) {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var page = given().auth().oauth2(DevTokens.supervisor())
                    .get(url + (cursor == null ? "" : "&cursor=" + cursor)).then().statusCode(200).extract();
            seen.addAll(page.path("items.id"));
            cursor = page.path("nextCursor");
        } while (cursor != null && ++pages < 20);
        return seen;
    }
}
