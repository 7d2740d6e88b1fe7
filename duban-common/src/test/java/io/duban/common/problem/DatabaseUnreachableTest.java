package io.duban.common.problem;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Which failures answer 503 database-unavailable rather than 500 internal. */
class DatabaseUnreachableTest {

    private static RuntimeException wrapped(Throwable cause) {
        return new IllegalStateException("outer", new RuntimeException("middle", cause));
    }

    @Test
    void connectionFailuresAndServerShutdownAreTheDatabaseBeingAway() {
        assertTrue(ProblemMappers.databaseUnreachable(wrapped(new SQLException("refused", "08001"))));
        assertTrue(ProblemMappers.databaseUnreachable(wrapped(new SQLException("I/O error", "08006"))));
        assertTrue(ProblemMappers.databaseUnreachable(wrapped(new SQLException("terminating connection", "57P01"))));
        assertTrue(ProblemMappers.databaseUnreachable(wrapped(new SQLException("the database system is starting up", "57P03"))));
        assertTrue(ProblemMappers.databaseUnreachable(
                wrapped(new SQLException("Acquisition timeout while waiting for new connection"))));
    }

    @Test
    void otherFailuresAreNot() {
        assertFalse(ProblemMappers.databaseUnreachable(new IllegalStateException("a bug")));
        assertFalse(ProblemMappers.databaseUnreachable(wrapped(new SQLException("duplicate key", "23505"))));
        assertFalse(ProblemMappers.databaseUnreachable(wrapped(new SQLException("syntax error", "42601"))));
        assertFalse(ProblemMappers.databaseUnreachable(wrapped(new SQLException("something"))));
    }
}
