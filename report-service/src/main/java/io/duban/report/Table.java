package io.duban.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
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
        BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        DateTimeFormatter dt = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
        try {
            w.write('\uFEFF');
            w.write(line(columns.stream().map(Column::header).toArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Writer() {
            @Override
            public void row(Object... values) {
                Object[] text = new Object[values.length];
                for (int i = 0; i < values.length; i++) {
                    Object v = values[i];
                    text[i] = v instanceof OffsetDateTime t ? dt.format(t.atZoneSameInstant(zone))
                            : v instanceof Double d && columns.get(i).type() == Type.PERCENT ? String.format("%.1f%%", d * 100)
                            : v instanceof Double d ? String.format("%.2f", d) : v;
                }
                try {
                    w.write(line(text));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void close() {
                try {
                    w.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    private static String line(Object[] values) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            String s = values[i] == null ? "" : values[i].toString();
            // A cell starting with =, +, - or @ would be a formula in Excel: quote it as text.
            if (!s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 && !(values[i] instanceof Number)) {
                s = "'" + s;
            }
            if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
                s = '"' + s.replace("\"", "\"\"") + '"';
            }
            b.append(s);
        }
        return b.append("\r\n").toString();
    }

    static Writer xlsx(OutputStream out, String sheetName, List<Column> columns, ZoneId zone) {
        Book book = new Book(zone);
        Writer sheet = book.sheet(sheetName, columns);
        return new Writer() {
            @Override
            public void row(Object... values) {
                sheet.row(values);
            }

            @Override
            public void close() {
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
