package io.duban.common.calendar;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.duban.common.web.Texts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and writes one year of the {@code holiday-cn} JSON format:
 * {@code {"year":2026,"papers":[...],"days":[{"name":"国庆节","date":"2026-10-01","isOffDay":true}]}}.
 *
 * <p>Parsing is strict because an admin uploads these files and a silently misread day shifts
 * every deadline computed from it: anything unexpected is an {@link IllegalArgumentException}
 * whose message names the offending entry. Top-level keys starting with {@code $} (the upstream
 * files carry {@code $schema} and {@code $id}) are ignored; any other unknown key is refused so a
 * misspelt key cannot drop data unnoticed. {@code papers} may be absent (read as empty);
 * {@code days} is required and may be empty.
 */
public final class HolidayCnFormat {

    /** Four-digit years only, so every date is a plain {@code yyyy-MM-dd}. */
    /** What the calendar stores of a day's name (calendar_day.name). */
    static final int MAX_NAME_LENGTH = 50;
    static final int MIN_YEAR = 1;
    static final int MAX_YEAR = 9999;

    private static final Set<String> TOP_LEVEL_KEYS = Set.of("year", "papers", "days");
    private static final Set<String> DAY_KEYS = Set.of("name", "date", "isOffDay");
    private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            // A repeated key would otherwise silently keep the last value.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // "{...} garbage" or two concatenated documents are not one valid year.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    // Fixed "\n" line ends so the output does not depend on the server's platform.
    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));

    private HolidayCnFormat() {
    }

    /**
     * One year of official data: the notices it comes from, and its departures from Monday–Friday
     * sorted by date. Always valid: every day lies in {@code year} and no date is listed twice.
     */
    public record Year(int year, List<String> papers, List<CalendarDay> days) {

        /** Validates and copies; days are sorted by date so equal data gives equal records. */
        public Year {
            if (year < MIN_YEAR || year > MAX_YEAR) {
                throw new IllegalArgumentException("Year " + year + " is outside " + MIN_YEAR + ".." + MAX_YEAR);
            }
            Objects.requireNonNull(papers, "papers");
            Objects.requireNonNull(days, "days");
            for (String paper : papers) {
                if (paper == null || paper.isBlank() || paper.length() > 500 || Texts.lineFlaw(paper) != null) {
                    throw new IllegalArgumentException("Each paper of year " + year
                            + " must be a non-blank string of at most 500 characters of plain text");
                }
            }
            papers = List.copyOf(papers);
            List<CalendarDay> sorted = new ArrayList<>(days.size());
            Set<LocalDate> seen = new HashSet<>();
            for (CalendarDay day : days) {
                Objects.requireNonNull(day, "day");
                if (day.date().getYear() != year) {
                    throw new IllegalArgumentException("Date " + day.date() + " is not in year " + year);
                }
                if (!seen.add(day.date())) {
                    throw new IllegalArgumentException("Date " + day.date() + " is listed more than once");
                }
                sorted.add(day);
            }
            sorted.sort(Comparator.comparing(CalendarDay::date));
            days = List.copyOf(sorted);
        }
    }

    /**
     * Parses one year from JSON text.
     *
     * @throws IllegalArgumentException if the text is not a valid year in this format
     */
    public static Year parse(String json) {
        Objects.requireNonNull(json, "json");
        try {
            return fromTree(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw malformed(e);
        }
    }

    /**
     * Parses one year from a JSON stream (UTF-8, or another Unicode encoding detected by Jackson);
     * the stream is read to its end but not closed.
     *
     * @throws IllegalArgumentException if the content is not a valid year in this format
     * @throws UncheckedIOException if reading the stream fails
     */
    public static Year parse(InputStream json) {
        Objects.requireNonNull(json, "json");
        try {
            return fromTree(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code year} in the same JSON shape {@link #parse} accepts (pretty-printed). */
    /** Years whose official arrangement this module ships (calendar/holidays-cn/YEAR.json). */
    public static final List<Integer> SHIPPED_YEARS = List.of(2024, 2025, 2026);

    /**
     * A shipped year, as published by the State Council: the seed data of task-service's calendar
     * and what tests check the calculator against. Empty for a year not shipped.
     */
    public static java.util.Optional<Year> shipped(int year) {
        try (InputStream in = HolidayCnFormat.class.getResourceAsStream("/calendar/holidays-cn/" + year + ".json")) {
            return in == null ? java.util.Optional.empty() : java.util.Optional.of(parse(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shipped file's text, as it was published. */
    public static String shippedJson(int year) {
        try (InputStream in = HolidayCnFormat.class.getResourceAsStream("/calendar/holidays-cn/" + year + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no shipped calendar for " + year);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String write(Year year) {
        Objects.requireNonNull(year, "year");
        ObjectNode root = MAPPER.createObjectNode();
        root.put("year", year.year());
        ArrayNode papers = root.putArray("papers");
        year.papers().forEach(papers::add);
        ArrayNode days = root.putArray("days");
        for (CalendarDay day : year.days()) {
            ObjectNode node = days.addObject();
            node.put("name", day.name());
            node.put("date", day.date().toString());
            node.put("isOffDay", day.offDay());
        }
        try {
            return MAPPER.writer(PRETTY).writeValueAsString(root);
        } catch (JsonProcessingException e) {
            // A tree of strings, numbers and booleans always serialises.
            throw new IllegalStateException("Could not write holiday data of year " + year.year(), e);
        }
    }

    private static IllegalArgumentException malformed(JsonProcessingException e) {
        return new IllegalArgumentException("Malformed JSON: " + e.getOriginalMessage(), e);
    }

    private static Year fromTree(JsonNode root) {
        if (root == null || root.isMissingNode()) {
            throw new IllegalArgumentException("Empty input: expected a JSON object");
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException("Expected a JSON object at the top level, got " + describe(root));
        }
        checkKeys(root, TOP_LEVEL_KEYS, "the top level", true);

        JsonNode yearNode = root.get("year");
        if (yearNode == null || yearNode.isNull()) {
            throw new IllegalArgumentException("Missing \"year\"");
        }
        if (!yearNode.isIntegralNumber() || !yearNode.canConvertToInt()
                || yearNode.intValue() < MIN_YEAR || yearNode.intValue() > MAX_YEAR) {
            throw new IllegalArgumentException("\"year\" must be an integer from " + MIN_YEAR + " to " + MAX_YEAR
                    + ", got " + describe(yearNode));
        }
        int year = yearNode.intValue();

        List<String> papers = new ArrayList<>();
        JsonNode papersNode = root.get("papers");
        if (papersNode != null) {
            if (!papersNode.isArray()) {
                throw new IllegalArgumentException("\"papers\" must be an array of strings, got " + describe(papersNode));
            }
            for (int i = 0; i < papersNode.size(); i++) {
                JsonNode paper = papersNode.get(i);
                if (!paper.isTextual() || paper.textValue().isBlank()) {
                    throw new IllegalArgumentException("papers[" + i + "] must be a non-blank string, got " + describe(paper));
                }
                papers.add(paper.textValue());
            }
        }

        JsonNode daysNode = root.get("days");
        if (daysNode == null) {
            throw new IllegalArgumentException("Missing \"days\" (use [] for a year without departures)");
        }
        if (!daysNode.isArray()) {
            throw new IllegalArgumentException("\"days\" must be an array, got " + describe(daysNode));
        }
        List<CalendarDay> days = new ArrayList<>(daysNode.size());
        Set<LocalDate> seen = new HashSet<>();
        for (int i = 0; i < daysNode.size(); i++) {
            String where = "days[" + i + "]";
            CalendarDay day = day(daysNode.get(i), where);
            if (day.date().getYear() != year) {
                throw new IllegalArgumentException(where + ": date " + day.date() + " is not in year " + year);
            }
            if (!seen.add(day.date())) {
                throw new IllegalArgumentException(where + ": date " + day.date() + " is listed more than once");
            }
            days.add(day);
        }
        return new Year(year, papers, days);
    }

    private static CalendarDay day(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " must be an object, got " + describe(node));
        }
        checkKeys(node, DAY_KEYS, where, false);

        JsonNode name = node.get("name");
        if (name == null || name.isNull()) {
            throw new IllegalArgumentException(where + ": missing \"name\"");
        }
        if (!name.isTextual() || name.textValue().isBlank()) {
            throw new IllegalArgumentException(where + ": \"name\" must be a non-blank string, got " + describe(name));
        }
        if (name.textValue().length() > MAX_NAME_LENGTH || Texts.lineFlaw(name.textValue()) != null) {
            throw new IllegalArgumentException(where + ": \"name\" must be at most " + MAX_NAME_LENGTH
                    + " characters of plain text (no control characters)");
        }

        JsonNode dateNode = node.get("date");
        if (dateNode == null || dateNode.isNull()) {
            throw new IllegalArgumentException(where + ": missing \"date\"");
        }
        LocalDate date = isoDate(dateNode, where);

        JsonNode offDay = node.get("isOffDay");
        if (offDay == null || offDay.isNull()) {
            throw new IllegalArgumentException(where + ": missing \"isOffDay\"");
        }
        if (!offDay.isBoolean()) {
            throw new IllegalArgumentException(where + ": \"isOffDay\" must be true or false, got " + describe(offDay));
        }

        try {
            return new CalendarDay(date, name.textValue(), offDay.booleanValue());
        } catch (IllegalArgumentException e) {
            // E.g. a make-up workday on a weekday; prefix the position so the admin can find it.
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static LocalDate isoDate(JsonNode node, String where) {
        String text = node.isTextual() ? node.textValue() : null;
        // The regex keeps out forms ISO_LOCAL_DATE would accept, such as "+12026-10-01".
        if (text != null && ISO_DATE.matcher(text).matches()) {
            try {
                // ISO_LOCAL_DATE resolves strictly, so 2026-02-30 is refused rather than clamped.
                return LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE);
            } catch (DateTimeParseException e) {
                // fall through to the common message
            }
        }
        throw new IllegalArgumentException(where + ": \"date\" must be an ISO date (yyyy-MM-dd), got " + describe(node));
    }

    private static void checkKeys(JsonNode object, Set<String> allowed, String where, boolean ignoreDollarKeys) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String key = names.next();
            if (!allowed.contains(key) && !(ignoreDollarKeys && key.startsWith("$"))) {
                throw new IllegalArgumentException("Unknown key \"" + key + "\" at " + where
                        + " (allowed: " + allowed.stream().sorted().toList() + ")");
            }
        }
    }

    /** The offending value, shortened so a huge upload does not end up in one message. */
    private static String describe(JsonNode node) {
        String text = node.toString();
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
