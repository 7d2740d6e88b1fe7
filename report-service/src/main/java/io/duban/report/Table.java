package io.duban.report;

import io.duban.common.web.IsoOffsetDateTimeSerializer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

/**
 * An export as people read it: Chinese column headers, one row at a time, written either as CSV
 * (UTF-8 with a byte-order mark, so that Excel reads the Chinese right) or as XLSX through POI's
 * streaming SXSSF (a window of rows in memory, the rest on disk; a frozen header row, column widths,
 * dates as Excel dates).
 */
final class Table {

    enum Type {
        TEXT, INT, DATE, DATETIME, PERCENT, DECIMAL
    }

    record Column(String header, Type type, int widthChars) {
    }

    /** Writes rows as they come; {@link #close()} finishes the file. */
    interface Writer extends AutoCloseable {
        void row(Object... values);

        @Override
        void close();
    }

    static final String CSV = "text/csv";
    static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private Table() {
    }

    static Writer csv(OutputStream out, List<Column> columns, ZoneId zone) {
        // Lines are built in one reused buffer and encoded by String.getBytes, cheaper per Chinese
        // character than a Writer's CharsetEncoder (a profile of the overdue CSV had a fifth of its CPU
        // in growing per-line builders and in the encoder's slow loop).
        BufferedOutputStream o = new BufferedOutputStream(out, 1 << 16);
        StringBuilder b = new StringBuilder(1024);
        DateTimeFormatter dt = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
        b.append('\uFEFF');
        line(b, columns.stream().map(Column::header).toArray());
        write(o, b);
        return new Writer() {
            @Override
            public void row(Object... values) {
                Object[] text = new Object[values.length];
                for (int i = 0; i < values.length; i++) {
                    Object v = values[i];
                    text[i] = v instanceof OffsetDateTime t ? minutes(t.atZoneSameInstant(zone).toLocalDateTime(), dt)
                            : v instanceof Double d && columns.get(i).type() == Type.PERCENT ? String.format("%.1f%%", d * 100)
                            : v instanceof Double d ? String.format("%.2f", d) : v;
                }
                b.setLength(0);
                line(b, text);
                write(o, b);
            }

            @Override
            public void close() {
                try {
                    o.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    private static void write(OutputStream o, StringBuilder b) {
        try {
            o.write(b.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** yyyy-MM-dd HH:mm, written by hand for the years people report in (the formatter otherwise). */
    static String minutes(LocalDateTime t, DateTimeFormatter fallback) {
        int y = t.getYear();
        if (y < 1000 || y > 9999) {
            return fallback.format(t);
        }
        char[] c = new char[16];
        int i = IsoOffsetDateTimeSerializer.digits(y, 4, c, 0);
        c[i++] = '-';
        i = IsoOffsetDateTimeSerializer.digits(t.getMonthValue(), 2, c, i);
        c[i++] = '-';
        i = IsoOffsetDateTimeSerializer.digits(t.getDayOfMonth(), 2, c, i);
        c[i++] = ' ';
        i = IsoOffsetDateTimeSerializer.digits(t.getHour(), 2, c, i);
        c[i++] = ':';
        IsoOffsetDateTimeSerializer.digits(t.getMinute(), 2, c, i);
        return new String(c);
    }

    /** One CSV line (CRLF) of the cells' text, appended to b. */
    private static void line(StringBuilder b, Object[] values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            String s = values[i] == null ? "" : values[i].toString();
            boolean quoted = false;
            for (int k = 0; k < s.length() && !quoted; k++) {
                char ch = s.charAt(k);
                quoted = ch == ',' || ch == '"' || ch == '\n' || ch == '\r';
            }
            if (quoted) {
                b.append('"');
            }
            // A cell starting with =, +, - or @ would be a formula in Excel: quote it as text.
            if (!s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 && !(values[i] instanceof Number)) {
                b.append('\'');
            }
            if (quoted) {
                for (int k = 0; k < s.length(); k++) {
                    char ch = s.charAt(k);
                    b.append(ch);
                    if (ch == '"') {
                        b.append('"');
                    }
                }
                b.append('"');
            } else {
                b.append(s);
            }
        }
        b.append("\r\n");
    }

    /**
     * A workbook of one data sheet, then a sheet 说明 that states what the data is: the report, its period and
     * as-of time, its filters (SPEC.md: every report states its period and its as-of time). {@code about} holds
     * label and value pairs; the data sheet stays the first, so that a reader of the figures finds them at once.
     */
    static Writer xlsx(OutputStream out, String sheetName, List<Column> columns, ZoneId zone, List<String[]> about) {
        Book book = new Book(zone);
        Writer sheet = book.sheet(sheetName, columns);
        return new Writer() {
            @Override
            public void row(Object... values) {
                sheet.row(values);
            }

            @Override
            public void close() {
                book.about(about);
                book.finish(out);
            }
        };
    }

    /** A workbook of one or more streamed sheets; {@link #finish} writes it and removes its temporary files. */
    static final class Book {
        private final SXSSFWorkbook book = new SXSSFWorkbook(200);
        private final ZoneId zone;
        private final CellStyle head;
        private final CellStyle date;
        private final CellStyle dateTime;
        private final CellStyle percent;
        private final CellStyle decimal;

        Book(ZoneId zone) {
            this.zone = zone;
            book.setCompressTempFiles(true);
            Font bold = book.createFont();
            bold.setBold(true);
            head = book.createCellStyle();
            head.setFont(bold);
            date = book.createCellStyle();
            date.setDataFormat(book.createDataFormat().getFormat("yyyy-mm-dd"));
            dateTime = book.createCellStyle();
            dateTime.setDataFormat(book.createDataFormat().getFormat("yyyy-mm-dd hh:mm"));
            percent = book.createCellStyle();
            percent.setDataFormat(book.createDataFormat().getFormat("0.0%"));
            decimal = book.createCellStyle();
            decimal.setDataFormat(book.createDataFormat().getFormat("0.00"));
        }

        /** A new sheet with a bold, frozen header row and the columns' widths. */
        Writer sheet(String name, List<Column> columns) {
            SXSSFSheet sheet = book.createSheet(name);
            Row header = sheet.createRow(0);
            for (int i = 0; i < columns.size(); i++) {
                Cell cell = header.createCell(i);
                cell.setCellValue(columns.get(i).header());
                cell.setCellStyle(head);
                sheet.setColumnWidth(i, Math.min(255, columns.get(i).widthChars()) * 256);
            }
            sheet.createFreezePane(0, 1);
            return new Writer() {
                int next = 1;

                @Override
                public void row(Object... values) {
                    Row r = sheet.createRow(next++);
                    for (int i = 0; i < values.length; i++) {
                        Object v = values[i];
                        if (v == null) {
                            continue;
                        }
                        Cell cell = r.createCell(i);
                        if (v instanceof LocalDate d) {
                            cell.setCellValue(d);
                            cell.setCellStyle(date);
                        } else if (v instanceof OffsetDateTime t) {
                            cell.setCellValue(t.atZoneSameInstant(zone).toLocalDateTime());
                            cell.setCellStyle(dateTime);
                        } else if (v instanceof Number n) {
                            cell.setCellValue(n.doubleValue());
                            if (columns.get(i).type() == Type.PERCENT) {
                                cell.setCellStyle(percent);
                            } else if (columns.get(i).type() == Type.DECIMAL) {
                                cell.setCellStyle(decimal);
                            }
                        } else {
                            cell.setCellValue(v.toString());
                        }
                    }
                }

                @Override
                public void close() {
                }
            };
        }

        /** The sheet 说明: one row per label and value. */
        void about(List<String[]> lines) {
            Writer w = sheet("说明", List.of(new Column("项目", Type.TEXT, 14), new Column("内容", Type.TEXT, 60)));
            for (String[] line : lines) {
                w.row((Object[]) line);
            }
        }

        void finish(OutputStream out) {
            try {
                book.write(out);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                book.dispose();
                try {
                    book.close();
                } catch (IOException ignored) {
                    // the temporary files are gone already (dispose)
                }
            }
        }
    }
}
