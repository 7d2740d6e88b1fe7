package io.duban.common.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.duban.common.calendar.HolidayCnFormat.Year;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing and writing the holiday-cn JSON format, against the real files and broken variants. */
class HolidayCnFormatTest {

    private static Year parseFile(int year) throws IOException {
        return WorkingDayCalculatorTest.parsed(year);
    }

    private static String readFile(int year) throws IOException {
        return Files.readString(WorkingDayCalculatorTest.file(year));
    }

    /** A valid year with one day; {@code day} is spliced in as the only element of "days". */
    private static String withDay(String day) {
        return "{\"year\":2026,\"papers\":[\"p\"],\"days\":[" + day + "]}";
    }

    private static String rejected(String json) {
        return assertThrows(IllegalArgumentException.class, () -> HolidayCnFormat.parse(json)).getMessage();
    }

    private static void assertRejected(String json, String expectedInMessage) {
        String message = rejected(json);
        assertTrue(message.contains(expectedInMessage), "message \"" + message + "\" lacks \"" + expectedInMessage + "\"");
    }

    // ---------------------------------------------------------------- the real files

    @ParameterizedTest
    @ValueSource(ints = {2024, 2025, 2026})
    void parsesEachRealFile(int year) throws IOException {
        Year parsed = parseFile(year);
        assertEquals(year, parsed.year());
        assertEquals(1, parsed.papers().size());
        assertTrue(parsed.papers().get(0).startsWith("https://www.gov.cn/"), parsed.papers().get(0));
        // Same entries as the raw file, in the same (date) order.
        JsonNode raw = new ObjectMapper().readTree(readFile(year)).get("days");
        assertEquals(raw.size(), parsed.days().size());
        for (int i = 0; i < raw.size(); i++) {
            CalendarDay day = parsed.days().get(i);
            assertEquals(raw.get(i).get("date").textValue(), day.date().toString());
            assertEquals(raw.get(i).get("name").textValue(), day.name());
            assertEquals(raw.get(i).get("isOffDay").booleanValue(), day.offDay());
        }
        // String and stream parsing agree.
        assertEquals(parsed, HolidayCnFormat.parse(readFile(year)));
    }

    @Test
    void knownEntriesOfTheRealFiles() throws IOException {
        assertEquals(36, parseFile(2024).days().size());
        assertEquals(33, parseFile(2025).days().size());
        assertEquals(39, parseFile(2026).days().size());
        assertTrue(parseFile(2026).days().contains(new CalendarDay(LocalDate.of(2026, 10, 1), "国庆节", true)));
        assertTrue(parseFile(2026).days().contains(new CalendarDay(LocalDate.of(2026, 10, 10), "国庆节", false)));
        assertTrue(parseFile(2025).days().contains(new CalendarDay(LocalDate.of(2025, 1, 26), "春节", false)));
        assertTrue(parseFile(2025).days().contains(new CalendarDay(LocalDate.of(2025, 10, 8), "国庆节、中秋节", true)));
    }

    @ParameterizedTest
    @ValueSource(ints = {2024, 2025, 2026})
    void roundTripWriteThenParse(int year) throws IOException {
        Year parsed = parseFile(year);
        String written = HolidayCnFormat.write(parsed);
        assertEquals(parsed, HolidayCnFormat.parse(written));
        // Writing is stable: what GET returns, PUT accepts and GET then returns unchanged.
        assertEquals(written, HolidayCnFormat.write(HolidayCnFormat.parse(written)));
    }

    @ParameterizedTest
    @ValueSource(ints = {2024, 2025, 2026})
    void writeProducesTheShapeOfTheRealFiles(int year) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode original = (ObjectNode) mapper.readTree(readFile(year));
        // The writer keeps only the data; JSON Schema metadata is not part of Year.
        original.remove(List.of("$schema", "$id"));
        JsonNode written = mapper.readTree(HolidayCnFormat.write(parseFile(year)));
        assertEquals(original, written);
        assertFalse(HolidayCnFormat.write(parseFile(year)).contains("\r"), "line ends must be \\n only");
    }

    @Test
    void writesAnEmptyYear() {
        Year empty = new Year(2030, List.of(), List.of());
        String json = HolidayCnFormat.write(empty);
        assertEquals(empty, HolidayCnFormat.parse(json));
        assertTrue(json.contains("\"days\" : [ ]") || json.contains("\"days\":[]") || json.contains("\"days\" : []"), json);
    }

    // ---------------------------------------------------------------- accepted variations

    @Test
    void acceptsAnOffDayOnAWeekendAndSortsDays() {
        Year year = HolidayCnFormat.parse("{\"year\":2026,\"papers\":[],\"days\":["
                + "{\"name\":\"国庆节\",\"date\":\"2026-10-10\",\"isOffDay\":false},"
                + "{\"name\":\"国庆节\",\"date\":\"2026-10-03\",\"isOffDay\":true}]}");
        assertEquals(List.of(
                new CalendarDay(LocalDate.of(2026, 10, 3), "国庆节", true),
                new CalendarDay(LocalDate.of(2026, 10, 10), "国庆节", false)), year.days());
    }

    @Test
    void papersMayBeAbsentAndDollarKeysAreIgnored() {
        Year year = HolidayCnFormat.parse("{\"$schema\":\"x\",\"$id\":\"y\",\"year\":2027,\"days\":[]}");
        assertEquals(new Year(2027, List.of(), List.of()), year);
    }

    @Test
    void parsesUtf8Bytes() {
        byte[] bytes = withDay("{\"name\":\"元旦\",\"date\":\"2026-01-01\",\"isOffDay\":true}")
                .getBytes(StandardCharsets.UTF_8);
        InputStream in = new ByteArrayInputStream(bytes);
        assertEquals("元旦", HolidayCnFormat.parse(in).days().get(0).name());
    }

    // ---------------------------------------------------------------- rejections

    @ParameterizedTest
    @ValueSource(strings = {"{", "not json", "{\"year\":2026,}", "{\"year\":2026,\"days\":[]} {}", "{\"year\":2026,\"days\":[]} x",
        "{'year':2026,'days':[]}"})
    void rejectsMalformedJson(String json) {
        assertTrue(rejected(json).startsWith("Malformed JSON"), rejected(json));
    }

    @Test
    void rejectsEmptyInputAndNonObjects() {
        assertRejected("", "Empty input");
        assertRejected("   ", "Empty input");
        assertThrows(IllegalArgumentException.class,
                () -> HolidayCnFormat.parse(new ByteArrayInputStream(new byte[0])));
        assertRejected("[]", "JSON object");
        assertRejected("2026", "JSON object");
        assertRejected("null", "JSON object");
    }

    @Test
    void rejectsDuplicateKeys() {
        assertTrue(rejected("{\"year\":2026,\"year\":2025,\"days\":[]}").contains("year"));
        assertTrue(rejected(withDay("{\"name\":\"a\",\"date\":\"2026-01-01\",\"date\":\"2026-01-02\",\"isOffDay\":true}"))
                .contains("date"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"2026\"", "2026.0", "2026.5", "null", "true", "[2026]", "0", "-2026", "10000", "99999999999"})
    void rejectsInvalidYear(String year) {
        assertRejected("{\"year\":" + year + ",\"days\":[]}", "year");
    }

    @Test
    void rejectsMissingYear() {
        assertRejected("{\"papers\":[],\"days\":[]}", "Missing \"year\"");
    }

    @Test
    void rejectsMissingOrInvalidDays() {
        assertRejected("{\"year\":2026,\"papers\":[]}", "Missing \"days\"");
        assertRejected("{\"year\":2026,\"days\":null}", "\"days\" must be an array");
        assertRejected("{\"year\":2026,\"days\":{}}", "\"days\" must be an array");
        assertRejected(withDay("\"2026-01-01\""), "days[0] must be an object");
    }

    @Test
    void rejectsInvalidPapers() {
        assertRejected("{\"year\":2026,\"papers\":\"p\",\"days\":[]}", "\"papers\" must be an array");
        assertRejected("{\"year\":2026,\"papers\":[1],\"days\":[]}", "papers[0]");
        assertRejected("{\"year\":2026,\"papers\":[\"ok\",\" \"],\"days\":[]}", "papers[1]");
    }

    @Test
    void rejectsUnknownKeys() {
        assertRejected("{\"year\":2026,\"paper\":[],\"days\":[]}", "Unknown key \"paper\"");
        assertRejected(withDay("{\"name\":\"a\",\"date\":\"2026-01-01\",\"isOffDay\":true,\"offDay\":true}"),
                "Unknown key \"offDay\" at days[0]");
        // "$" keys are only metadata at the top level; inside a day they are unknown.
        assertRejected(withDay("{\"name\":\"a\",\"date\":\"2026-01-01\",\"isOffDay\":true,\"$x\":1}"), "Unknown key");
    }

    @Test
    void rejectsADayOutsideTheYear() {
        assertRejected(withDay("{\"name\":\"元旦\",\"date\":\"2025-01-01\",\"isOffDay\":true}"),
                "days[0]: date 2025-01-01 is not in year 2026");
        assertRejected(withDay("{\"name\":\"元旦\",\"date\":\"2027-01-01\",\"isOffDay\":true}"), "not in year 2026");
    }

    @Test
    void rejectsDuplicateDates() {
        String json = "{\"year\":2026,\"days\":["
                + "{\"name\":\"国庆节\",\"date\":\"2026-10-01\",\"isOffDay\":true},"
                + "{\"name\":\"国庆节\",\"date\":\"2026-10-02\",\"isOffDay\":true},"
                + "{\"name\":\"国庆节\",\"date\":\"2026-10-01\",\"isOffDay\":true}]}";
        assertRejected(json, "days[2]: date 2026-10-01 is listed more than once");
    }

    @Test
    void rejectsMissingOrInvalidName() {
        assertRejected(withDay("{\"date\":\"2026-01-01\",\"isOffDay\":true}"), "days[0]: missing \"name\"");
        assertRejected(withDay("{\"name\":null,\"date\":\"2026-01-01\",\"isOffDay\":true}"), "missing \"name\"");
        assertRejected(withDay("{\"name\":\"\",\"date\":\"2026-01-01\",\"isOffDay\":true}"), "\"name\" must be");
        assertRejected(withDay("{\"name\":\"  \",\"date\":\"2026-01-01\",\"isOffDay\":true}"), "\"name\" must be");
        assertRejected(withDay("{\"name\":7,\"date\":\"2026-01-01\",\"isOffDay\":true}"), "\"name\" must be");
    }

    @Test
    void rejectsMissingOrInvalidIsOffDay() {
        assertRejected(withDay("{\"name\":\"元旦\",\"date\":\"2026-01-01\"}"), "days[0]: missing \"isOffDay\"");
        assertRejected(withDay("{\"name\":\"元旦\",\"date\":\"2026-01-01\",\"isOffDay\":null}"), "missing \"isOffDay\"");
        assertRejected(withDay("{\"name\":\"元旦\",\"date\":\"2026-01-01\",\"isOffDay\":\"true\"}"), "\"isOffDay\" must be");
        assertRejected(withDay("{\"name\":\"元旦\",\"date\":\"2026-01-01\",\"isOffDay\":1}"), "\"isOffDay\" must be");
    }

    @Test
    void rejectsAMakeUpWorkdayOnAWeekday() {
        // Thu 8 Oct 2026 is a workday anyway, so "make-up" there is a data error.
        assertRejected(withDay("{\"name\":\"国庆节\",\"date\":\"2026-10-08\",\"isOffDay\":false}"),
                "days[0]: Calendar day 2026-10-08 (THURSDAY) is marked as a make-up workday");
        // ...while a holiday on a weekend is accepted (the real files have those).
        HolidayCnFormat.parse(withDay("{\"name\":\"国庆节\",\"date\":\"2026-10-03\",\"isOffDay\":true}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"2026/10/01\"", "\"2026-1-1\"", "\"2026-10-1\"", "\"20261001\"", "\"2026-10-01T00:00\"",
        "\"2026-02-30\"", "\"2026-13-01\"", "\"+2026-10-01\"", "\" 2026-10-01\"", "\"01.10.2026\"", "\"\"",
        "\"２０２６-10-01\"", "20261001", "null", "[\"2026-10-01\"]"})
    void rejectsNonIsoDates(String date) {
        String message = rejected(withDay("{\"name\":\"国庆节\",\"date\":" + date + ",\"isOffDay\":true}"));
        assertTrue(message.startsWith("days[0]:") && message.contains("\"date\""), message);
    }

    @Test
    void yearRecordValidatesToo() {
        CalendarDay day = new CalendarDay(LocalDate.of(2026, 10, 1), "国庆节", true);
        assertThrows(IllegalArgumentException.class, () -> new Year(2025, List.of(), List.of(day)));
        assertThrows(IllegalArgumentException.class, () -> new Year(2026, List.of(), List.of(day, day)));
        assertThrows(IllegalArgumentException.class, () -> new Year(0, List.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Year(2026, List.of(""), List.of()));
        assertThrows(NullPointerException.class, () -> HolidayCnFormat.write(null));
    }
}
