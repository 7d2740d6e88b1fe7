package io.duban.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.duban.report.support.TaskSchemaTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The exports' row source ({@link CopyRows}) and the literals it needs ({@link Sql#inline}), against
 * PostgreSQL: what COPY hands over is what a prepared statement reads, for every kind of text a
 * hostile or careless client sends, and a reader that gives up mid-stream leaves its connection usable.
 */
@QuarkusTest
@WithTestResource(value = TaskSchemaTestResource.class, scope = TestResourceScope.GLOBAL)
class CopyRowsTest {

    /** Text COPY escapes, text that looks like its escapes, quoting that would break a literal, and more. */
    static final String[] TEXTS = { "", " ", "\t", "\n", "\r\n", "a\tb\nc", "\\", "\\N", "N", "\\t", "back\\slash\\",
        "\b\f\u000B", "\u001B[31m", "\u007F", "\u0085", "\u2028", "' OR '1'='1", "''", "'", "\"; DROP TABLE unit; --",
        "$$", "$1", "?", "E'\\x41'", "测试", "督办事项🚀", "👨‍👩‍👧‍👦", "\u202Eevil\u202C", "e\u0301\u0301", "\uFEFF",
        "%_", "x".repeat(10_000) };

    @Inject
    DataSource db;

    @Test
    void everyTextComesBackAsAStatementReadsIt() throws SQLException {
        try (Connection c = db.getConnection()) {
            for (String text : TEXTS) {
                Sql sql = new Sql().append("SELECT ?, NULL::text, ? = ?, length(?)", text, text, text, text);
                String[] copied = copy(c, sql, 4).get(0);
                String[] read = new String[4];
                try (PreparedStatement s = sql.prepare(c); ResultSet rs = s.executeQuery()) {
                    rs.next();
                    for (int i = 0; i < 4; i++) {
                        read[i] = rs.getString(i + 1);
                    }
                }
                assertArrayEquals(read, copied, "as COPY hands it over: " + escape(text));
                assertEquals(text, copied[0], escape(text));
                assertEquals(null, copied[1], "NULL is null, not the text \\N");
                assertEquals("t", copied[2], "the inlined literal is the text itself: " + escape(text));
                assertEquals(String.valueOf(text.codePointCount(0, text.length())), copied[3]);
            }
        }
    }

    @Test
    void inlinedDatesTimesAndNumbersAreTheBoundOnes() throws SQLException {
        Instant t = Instant.parse("2026-10-01T16:00:00.123456Z");
        LocalDate d = LocalDate.of(2026, 2, 28);
        Sql sql = new Sql().append("SELECT ? = CAST('2026-10-02 00:00:00.123456+08' AS timestamptz), ? + 1, ?, ? * 2",
                t, d, 9_000_000_000L, 21);
        try (Connection c = db.getConnection()) {
            assertArrayEquals(new String[] { "t", "2026-03-01", "9000000000", "42" }, copy(c, sql, 4).get(0));
        }
    }

    @Test
    void datesReadFromCopyAreTheOnesPgjdbcReads() throws SQLException {
        String dates = "SELECT d::date FROM generate_series(date '1990-01-01', date '2100-12-31', interval '1 day') d"
                + " UNION ALL SELECT 'infinity'::date UNION ALL SELECT '-infinity'::date UNION ALL SELECT NULL::date";
        try (Connection c = db.getConnection()) {
            List<LocalDate> read = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(dates); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    read.add(rs.getObject(1, LocalDate.class));
                }
            }
            List<LocalDate> copied = new ArrayList<>();
            CopyRows.stream(c, dates, 1, f -> copied.add(ReportRows.date(f[0])));
            assertEquals(40542 + 3, read.size());
            assertEquals(read, copied);
        }
    }

    @Test
    void placeholdersAndParametersMustMatch() throws SQLException {
        try (Connection c = db.getConnection()) {
            assertThrows(IllegalStateException.class, () -> new Sql().append("SELECT ?, ?", 1).inline(c));
            assertThrows(IllegalStateException.class, () -> new Sql().append("SELECT ?", 1, 2).inline(c));
            assertThrows(IllegalArgumentException.class, () -> new Sql().append("SELECT ?", LocalDate.of(10_000, 1, 1)).inline(c));
        }
    }

    @Test
    void rowsComeInOrderAndAReaderThatGivesUpLeavesTheConnectionReady() throws SQLException {
        try (Connection c = db.getConnection()) {
            List<String[]> rows = copy(c, new Sql().append("SELECT g, repeat('行', g % 7) FROM generate_series(1, ?) g", 5000), 2);
            assertEquals(5000, rows.size());
            for (int i = 0; i < rows.size(); i++) {
                assertEquals(String.valueOf(i + 1), rows.get(i)[0]);
                assertEquals("行".repeat((i + 1) % 7), rows.get(i)[1]);
            }
            int[] seen = { 0 };
            IllegalStateException gone = assertThrows(IllegalStateException.class,
                    () -> CopyRows.stream(c, "SELECT g, repeat('x', 200) FROM generate_series(1, 2000000) g", 2, f -> {
                        if (++seen[0] == 10) {
                            throw new IllegalStateException("the client went away");
                        }
                    }));
            assertEquals("the client went away", gone.getMessage());
            assertEquals(0, gone.getSuppressed().length, "the copy stopped as asked");
            assertEquals(10, seen[0]);
            try (PreparedStatement s = c.prepareStatement("SELECT 41 + 1"); ResultSet rs = s.executeQuery()) {
                rs.next();
                assertEquals(42, rs.getInt(1), "the connection answers its next statement");
            }
        }
    }

    @Test
    void aRowOfTheWrongWidthIsAnError() {
        assertThrows(IllegalStateException.class, () -> CopyRows.split("a\tb\n".getBytes(), new String[3]));
        assertThrows(IllegalStateException.class, () -> CopyRows.split("a\tb\tc\n".getBytes(), new String[2]));
    }

    private static List<String[]> copy(Connection c, Sql sql, int columns) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        CopyRows.stream(c, sql.inline(c), columns, f -> rows.add(f.clone()));
        return rows;
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(40).forEach(cp -> b.append(cp < 0x20 || cp == 0x7F ? String.format("\\u%04x", cp) : Character.toString(cp)));
        return b.toString();
    }
}
