package io.duban.report;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;
import org.postgresql.core.BaseConnection;

/**
 * The rows of a query as PostgreSQL streams them to {@code COPY (query) TO STDOUT}, one at a time.
 *
 * <p>Why not a cursor: a statement read with a fetch size runs without parallel workers (PostgreSQL
 * plans in parallel only what runs to completion in one go) and waits for a round trip every batch;
 * COPY runs the same plan at full speed and the server pushes rows while the caller writes them.
 * Memory stays at one row: each row is one COPY message.
 *
 * <p>The rows come in COPY's text format: fields separated by tabs, {@code \N} for null, and
 * backslash escapes for backslash, tab, newline, carriage return, backspace, form feed and vertical tab.
 */
final class CopyRows {

    /** Receives each row's fields as text, null for SQL NULL; the array is reused for the next row. */
    interface Sink {
        void row(String[] fields) throws SQLException;
    }

    private CopyRows() {
    }

    /** Runs {@code sql} (a query, no parameters) and hands its rows of {@code columns} fields to the sink. */
    static void stream(Connection c, String sql, int columns, Sink sink) throws SQLException {
        CopyOut copy = c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (" + sql + ") TO STDOUT");
        try {
            String[] fields = new String[columns];
            byte[] line;
            while ((line = copy.readFromCopy()) != null) {
                split(line, fields);
                sink.row(fields);
            }
        } catch (SQLException | RuntimeException | Error e) {
            if (copy.isActive()) {
                stop(c, copy, e);
            }
            throw e;
        }
    }

    /**
     * Ends a copy its reader gave up on (a client gone away), so that the connection goes back to the
     * pool ready for its next statement. pgjdbc's {@code cancelCopy} cannot be used for that: for a copy
     * out it sends the cancel and leaves the rest of the copy unread on the connection. Here the cancel is
     * sent (and delivered: pgjdbc waits for the server to close the cancel connection), then whatever the
     * server sent before it stopped is read and dropped, up to the cancel's error or the copy's end (the
     * whole rest, if the cancel could not be sent). A copy that ended first leaves the server idle, and an
     * idle server ignores a cancel.
     */
    private static void stop(Connection c, CopyOut copy, Throwable cause) {
        try {
            c.unwrap(BaseConnection.class).cancelQuery();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
        try {
            while (copy.readFromCopy() != null) {
                // dropped
            }
        } catch (SQLException e) {
            if (!"57014".equals(e.getSQLState())) { // query_canceled: the copy stopped as asked
                cause.addSuppressed(e);
            }
        }
    }

    /** Splits one row of COPY text (ending in a newline) into its fields. */
    static void split(byte[] line, String[] fields) {
        int end = line.length > 0 && line[line.length - 1] == '\n' ? line.length - 1 : line.length;
        int field = 0;
        int start = 0;
        boolean escaped = false;
        for (int i = 0; i <= end; i++) {
            byte b = i < end ? line[i] : (byte) '\t';
            if (b == '\\') {
                escaped = true;
                i++; // the escaped byte is never a separator
            } else if (b == '\t') {
                if (field == fields.length) {
                    throw new IllegalStateException("more than " + fields.length + " fields in a COPY row");
                }
                fields[field++] = text(line, start, i, escaped);
                start = i + 1;
                escaped = false;
            }
        }
        if (field != fields.length) {
            throw new IllegalStateException(field + " fields in a COPY row, expected " + fields.length);
        }
    }

    private static String text(byte[] line, int from, int to, boolean escaped) {
        if (!escaped) {
            return new String(line, from, to - from, StandardCharsets.UTF_8);
        }
        if (to - from == 2 && line[from] == '\\' && line[from + 1] == 'N') {
            return null;
        }
        byte[] out = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            byte b = line[i];
            if (b == '\\' && i + 1 < to) {
                b = switch (line[++i]) {
                    case 'b' -> '\b';
                    case 'f' -> '\f';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    case 'v' -> 0x0B;
                    default -> line[i];
                };
            }
            out[n++] = b;
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }
}
