package io.duban.system.support;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting for a condition, never for time to pass: a generous limit, then a failure that explains. */
public final class Conditions {

    private Conditions() {
    }

    public static void await(String what, Duration limit, BooleanSupplier condition, Supplier<String> diagnostics) {
        Instant end = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("not reached within " + limit.toSeconds() + " s: " + what + "\n" + diagnostics.get());
            }
            ServiceProcess.pause(100);
        }
    }
}
