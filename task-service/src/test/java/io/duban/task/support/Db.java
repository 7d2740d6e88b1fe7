package io.duban.task.support;

import io.quarkus.narayana.jta.QuarkusTransaction;
import java.util.function.Supplier;

/** Reads the database directly from a test, in a transaction of its own. */
public final class Db {

    private Db() {
    }

    public static <T> T read(Supplier<T> query) {
        return QuarkusTransaction.requiringNew().call(query::get);
    }
}
