package io.duban.common.paging;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a list (SPEC.md: `limit`, `cursor` → `nextCursor`): the rows, the cursor of the next page
 * (null on the last page) and the limit the page was read with.
 */
public record Page<T>(List<T> items, String nextCursor, int limit) {

    /**
     * The page of {@code rows}, read with one row more than {@code limit} to know whether another page
     * follows: the first {@code limit} rows as {@code view} shows them, and then the cursor
     * {@code cursorOf} makes of the page's last row.
     */
    public static <R, T> Page<T> of(List<R> rows, int limit, Function<R, String> cursorOf, Function<R, T> view) {
        List<R> page = rows.size() > limit ? rows.subList(0, limit) : rows;
        String next = rows.size() > limit ? cursorOf.apply(page.get(limit - 1)) : null;
        return new Page<>(page.stream().map(view).toList(), next, limit);
    }
}
