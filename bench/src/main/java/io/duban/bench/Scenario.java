package io.duban.bench;

import java.util.Set;
import java.util.function.LongFunction;

/**
 * One request shape under load. {@code request} builds the bytes of the n-th request (so a create can
 * carry a fresh Idempotency-Key, a lifecycle action rotate over items); {@code expected} are the
 * statuses that count as answered (any other is counted as an error and shown in the table).
 *
 * @param name     short id in the table
 * @param group    {@code ceiling} or the kind of scenario
 * @param what     what is requested, as shown in the table's legend
 * @param request  the n-th request's bytes
 * @param expected statuses that count as success
 */
record Scenario(String name, String group, String what, LongFunction<byte[]> request, Set<Integer> expected) {

    static final String CEILING = "ceiling";

    boolean isCeiling() {
        return group.equals(CEILING);
    }

    /** Whether it changes data (a lifecycle action, a create): run after every reading scenario. */
    boolean writes() {
        return group.equals("lifecycle") || group.equals("intake");
    }
}
