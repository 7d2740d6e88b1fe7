package io.duban.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The CSV writer on its own: what Excel reads from each kind of cell, and lines longer than its buffer. */
class TableCsvTest {

    static final List<Table.Column> COLUMNS = List.of(new Table.Column("编号", Table.Type.TEXT, 10),
            new Table.Column("标题", Table.Type.TEXT, 10), new Table.Column("天数", Table.Type.INT, 4),
            new Table.Column("时间", Table.Type.DATETIME, 16), new Table.Column("日期", Table.Type.DATE, 10),
            new Table.Column("比率", Table.Type.PERCENT, 6), new Table.Column("平均", Table.Type.DECIMAL, 6));

    static String csv(Object[]... rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Table.Writer w = Table.csv(out, COLUMNS, ZoneId.of("Asia/Shanghai"))) {
            for (Object[] row : rows) {
                w.row(row);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void cellsAreQuotedWhereExcelNeedsItAndFormulasStayText() {
        String text = csv(new Object[] { "DB-2026-000001", "河道清淤, \"一河一策\"\r\n第二行", -3,
                OffsetDateTime.parse("2026-11-27T16:30:00Z"), LocalDate.parse("2026-11-28"), 0.125, 2.5 },
                new Object[] { "=HYPERLINK(\"x\")", "-整改", null, null, null, null, -1.25 },
                new Object[] { "@SUM(A1)", "+1", 0L, null, null, null, null });
        assertEquals("\uFEFF编号,标题,天数,时间,日期,比率,平均\r\n"
                + "DB-2026-000001,\"河道清淤, \"\"一河一策\"\"\r\n第二行\",-3,2026-11-28 00:30,2026-11-28,12.5%,2.50\r\n"
                + "\"'=HYPERLINK(\"\"x\"\")\",'-整改,,,,,'-1.25\r\n"
                + "'@SUM(A1),'+1,0,,,,\r\n", text);
    }

    @Test
    void aLineLongerThanTheBufferIsWrittenWhole() {
        String title = "长".repeat(5000);
        String text = csv(new Object[] { "DB-1", title, 1, null, null, null, null }, new Object[] { "DB-2", "短", 2, null, null, null, null });
        assertEquals("\uFEFF编号,标题,天数,时间,日期,比率,平均\r\nDB-1," + title + ",1,,,,\r\nDB-2,短,2,,,,\r\n", text);
    }

    @Test
    void timesAreWrittenAsTheFormatterWritesThem() {
        DateTimeFormatter dt = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            LocalDateTime t = LocalDateTime.ofEpochSecond(random.nextLong(-2_000_000_000L, 8_000_000_000L),
                    random.nextInt(1_000_000_000), ZoneOffset.UTC);
            assertEquals(dt.format(t), Table.minutes(t, dt), t.toString());
        }
        LocalDateTime far = LocalDateTime.of(12026, 1, 2, 3, 4);
        assertEquals(dt.format(far), Table.minutes(far, dt));
    }
}
