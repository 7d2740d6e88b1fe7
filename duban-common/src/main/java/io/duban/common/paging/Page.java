package io.duban.common.paging;

import java.util.List;

/**
 * One page of a list (SPEC.md: `limit`, `cursor` → `nextCursor`): the rows, the cursor of the next page
 * (null on the last page) and the limit the page was read with.
 */
public record Page<T>(List<T> items, String nextCursor, int limit) {
}
