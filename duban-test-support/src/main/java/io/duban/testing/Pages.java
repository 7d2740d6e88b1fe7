package io.duban.testing;

import static io.restassured.RestAssured.given;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reading a list the way SPEC.md pages it ({@code limit}, {@code cursor} → {@code nextCursor}), in tests. */
public final class Pages {

    private Pages() {
    }

    /**
     * Every row of a paged list, read page by page with {@code limit} (the path may carry filters): each
     * page holds at most the limit, and only the last has no {@code nextCursor}.
     */
    public static List<Map<String, Object>> all(String token, String path, int limit) {
        List<Map<String, Object>> rows = new ArrayList<>();
        String cursor = null;
        do {
            var page = given().auth().oauth2(token).queryParam("limit", limit)
                    .queryParams(cursor == null ? Map.of() : Map.of("cursor", cursor))
                    .get(path).then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> items = page.getList("items");
            if (items.size() > limit || page.getInt("limit") != limit) {
                throw new AssertionError(path + ": a page of " + items.size() + " for limit " + limit);
            }
            cursor = page.getString("nextCursor");
            if (cursor != null && items.size() < limit) {
                throw new AssertionError(path + ": a short page that is not the last");
            }
            rows.addAll(items);
        } while (cursor != null);
        return rows;
    }

}
