package io.duban.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The fuzzer's values, all drawn from one seeded {@link Random} so that a seed replays a run: valid
 * ones from a JSON schema (boundary lengths and numbers, Chinese, emoji, right-to-left and zero-width
 * text), odd ones (limits, dates beyond 2000–2099, control characters, invalid percent-encoding),
 * text the service gave out fed back as it was or damaged (ids, unit codes, cursors, change tokens),
 * and invalid JSON bodies (wrong types, nulls, missing or unknown fields, deep nesting, big arrays,
 * text that is not JSON at all).
 */
final class FuzzValues {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final LocalDate TODAY = LocalDate.now();

    /** Text a careless or hostile client sends; each must be refused clearly or stored as sent. */
    static final String[] ODD_TEXT = {
        "", " ", "\t", "\n", "a", "测试", "督办事项🚀", "👨‍👩‍👧‍👦", "\u202Eevil\u202C", "مرحبا بالعالم", "שלום",
        "\u200B", "a\u200Db", "\uFEFF", "ＦＵＬＬＷＩＤＴＨ", "e\u0301\u0301\u0301", "𝄞𝄞", "\u0000", "a\u0000b", "\r\n",
        "\u001B[31m", "\u007F", "\u0085", "\u2028", "' OR '1'='1", "\"; DROP TABLE unit; --", "%", "%25", "_", "\\",
        "../../etc/passwd", "<script>alert(1)</script>", "${jndi:ldap://x/a}", "{{7*7}}", "null", "true", "0", "-1",
        "NaN", "1e309", "FGW", "fgw", "DCS", "  FGW  ", "FGW\u0000", "ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789",
    };

    /**
     * Already percent-encoded values: control characters, bytes that are not UTF-8 (overlong, cut
     * short, a surrogate), encoded separators. Malformed escapes (`%zz`, a lone `%`) are left out:
     * the JDK client refuses to send them.
     */
    static final String[] ODD_ENCODED = {
        "%00", "a%00b", "%0A", "%0D%0A", "%09", "%7F", "%C0%AF", "%FF", "%E4%B8", "%2F", "%2e%2e", "%20",
        "%EF%BB%BF", "%F0%9F%9A%80", "%E2%80%AE", "%ED%A0%80", "+", "%2B", "..", ".", "%25", "%3B", "%3F", "%23",
    };

    static final String[] ODD_INTEGERS = {
        "0", "-1", "1", "2000", "2099", "1999", "2100", "2026", "2147483647", "2147483648", "-2147483648",
        "-2147483649", "9223372036854775807", "9223372036854775808", "99999999999999999999999999", "1e3", "1.5",
        "0x7E8", "０", "٢٠٢٦", " 1", "1 ", "+1", "-0", "00001", "NaN", "Infinity",
    };

    static final String[] ODD_DATES = {
        "2000-01-01", "2099-12-31", "1999-12-31", "2100-01-01", "0001-01-01", "+10000-01-01", "-0001-01-01",
        "9999-12-31", "+999999999-12-31", "2026-02-29", "2028-02-29", "2026-02-30", "2026-13-01", "2026-00-10",
        "2026-1-1", "20260101", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00+08:00", "2026/01/01", "２０２６-０１-０１",
        "today", "1970-01-01",
    };

    static final String[] ODD_ETAGS = {
        "*", "", "\"\"", "W/\"1\"", "\"1.x\"", "\"0\"", "\"99999999999999999999\"", "garbage", "\"", "\"1\", \"2\"",
        "W/", "\"-1.abc\"", "\"1.\"",
    };

    private final Random rnd;
    private final OpenApiDocument doc;
    /** Text the service gave out (ids, codes, cursors, change tokens), fed back, as is or damaged. */
    private final List<String> harvested = new ArrayList<>();
    private int harvests;

    FuzzValues(Random rnd, OpenApiDocument doc) {
        this.rnd = rnd;
        this.doc = doc;
    }

    boolean chance(double p) {
        return rnd.nextDouble() < p;
    }

    int below(int n) {
        return rnd.nextInt(n);
    }

    /** A random (version 4) UUID from the seeded generator, so that a replay sends the same ones. */
    UUID uuid() {
        long msb = (rnd.nextLong() & ~0xf000L) | 0x4000L;
        long lsb = (rnd.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    <T> T pick(T[] values) {
        return values[rnd.nextInt(values.length)];
    }

    <T> T pick(List<T> values) {
        return values.get(rnd.nextInt(values.size()));
    }

    // ---- schemas -------------------------------------------------------------------------------

    enum Kind { ENUM, DATE, DATE_TIME, UUID, INTEGER, NUMBER, BOOLEAN, ARRAY, OBJECT, STRING }

    Kind kind(JsonNode schema) {
        JsonNode s = doc.resolve(schema);
        if (s.has("enum")) {
            return Kind.ENUM;
        }
        String type = type(s);
        String format = s.path("format").asText("");
        return switch (type) {
            case "integer" -> Kind.INTEGER;
            case "number" -> Kind.NUMBER;
            case "boolean" -> Kind.BOOLEAN;
            case "array" -> Kind.ARRAY;
            case "object" -> Kind.OBJECT;
            default -> s.has("properties") ? Kind.OBJECT
                    : format.equals("date") ? Kind.DATE
                    : format.equals("date-time") ? Kind.DATE_TIME
                    : format.equals("uuid") ? Kind.UUID : Kind.STRING;
        };
    }

    private static String type(JsonNode s) {
        JsonNode t = s.path("type");
        if (t.isArray()) {
            for (JsonNode each : t) {
                if (!each.asText().equals("null")) {
                    return each.asText();
                }
            }
        }
        return t.asText("");
    }

    /** Keeps some of the text values of an answer, for later requests. */
    void harvest(JsonNode answer) {
        List<String> found = new ArrayList<>();
        collect(answer, found, 0);
        // The oldest give way; no random draw here, so that answers do not shift the seeded sequence.
        for (String value : found) {
            if (harvested.size() < 500) {
                harvested.add(value);
            } else {
                harvested.set(harvests++ % 500, value);
            }
        }
    }

    private static void collect(JsonNode node, List<String> found, int depth) {
        if (node.isTextual() && node.asText().length() >= 3 && node.asText().length() <= 2000) {
            found.add(node.asText());
        } else if (depth < 6 && found.size() < 50) {
            node.forEach(child -> collect(child, found, depth + 1));
        }
    }

    /** Something the service said, now and then damaged: a character changed, cut short, doubled. */
    private String echo() {
        String s = pick(harvested);
        return switch (below(6)) {
            case 0 -> s.substring(0, s.length() - 1);
            case 1 -> s + s;
            case 2 -> {
                int i = below(s.length());
                yield s.substring(0, i) + (char) (s.charAt(i) ^ 1) + s.substring(i + 1);
            }
            default -> s;
        };
    }

    // ---- path, query and header values (percent-encoded as sent) -------------------------------

    /** A value for a path or query parameter: mostly the baseline or a valid one, else an odd one. */
    String parameter(JsonNode schema, String baseline) {
        int roll = below(10);
        if (baseline != null && roll < 5) {
            return ApiCall.encode(baseline);
        }
        if (!harvested.isEmpty() && kind(schema) == Kind.STRING && chance(0.3)) {
            return ApiCall.encode(echo());
        }
        if (roll < 7) {
            JsonNode v = valid(schema, null, 0);
            return ApiCall.encode(v.isTextual() ? v.asText() : v.toString());
        }
        return oddParameter(schema, baseline);
    }

    String oddParameter(JsonNode schema, String baseline) {
        Kind kind = kind(schema);
        int roll = below(10);
        if (roll == 0) {
            return pick(ODD_ENCODED);
        }
        if (roll == 1) {
            // Around the service's own URI limit (8 KB as sent: 414 problem+json), far below the HTTP layer's.
            return longEncoded(pick(new Integer[] { 300, 2000, 8000, 9000, 20_000 }));
        }
        if (roll <= 3) {
            return ApiCall.encode(pick(ODD_TEXT));
        }
        return ApiCall.encode(switch (kind) {
            case INTEGER, NUMBER -> pick(ODD_INTEGERS);
            case DATE, DATE_TIME -> pick(ODD_DATES);
            case UUID -> pick(new String[] { uuid().toString(), "00000000-0000-0000-0000-000000000000",
                baseline == null ? "x" : baseline.toUpperCase(Locale.ROOT), baseline == null ? "y" : baseline.replace("-", ""),
                baseline == null ? "z" : baseline + "0", "not-a-uuid", "{" + uuid() + "}" });
            case ENUM -> pick(new String[] { enumValue(schema).toLowerCase(Locale.ROOT), "NOPE", enumValue(schema) + " ",
                enumValue(schema) + "," + enumValue(schema) });
            case BOOLEAN -> pick(new String[] { "TRUE", "yes", "1", "on", "tru" });
            default -> baseline == null ? pick(ODD_TEXT)
                    : pick(new String[] { baseline.toLowerCase(Locale.ROOT), baseline + "\u200B", " " + baseline,
                        baseline.repeat(20), baseline + "'" });
        });
    }

    /** A value for a conditional or idempotency header; `etag` is one the service gave out, or null. */
    String header(String name, String etag) {
        if (name.equalsIgnoreCase("Idempotency-Key")) {
            return pick(new String[] { "fuzz-key-" + below(4), uuid().toString(), "", " ", "k".repeat(200),
                "k".repeat(201), "key with spaces", "ключ", "\u00e9\u00e8", "a\tb", "k".repeat(5000) });
        }
        if (etag != null && chance(0.4)) {
            return chance(0.7) ? etag : "W/" + etag;
        }
        String v = pick(ODD_ETAGS);
        return chance(0.1) ? latin1(v + "督办") : v;
    }

    /** UTF-8 bytes as the Latin-1 characters the JDK client sends unchanged. */
    static String latin1(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    // ---- JSON values -----------------------------------------------------------------------------

    /** A value the schema allows, leaning on the baseline (real ids) and on boundaries. */
    JsonNode valid(JsonNode schema, JsonNode baseline, int depth) {
        JsonNode s = doc.resolve(schema);
        Kind kind = kind(s);
        if (baseline != null && !baseline.isNull() && !baseline.isMissingNode() && kind != Kind.OBJECT && chance(0.5)) {
            return baseline;
        }
        return switch (kind) {
            case ENUM -> NODES.textNode(enumValue(s));
            case DATE -> NODES.textNode(validDate().toString());
            case DATE_TIME -> NODES.textNode(validDate() + "T10:00:00+08:00");
            case UUID -> NODES.textNode(uuid().toString());
            case INTEGER -> NODES.numberNode(integer(s));
            case NUMBER -> NODES.numberNode(integer(s) + (chance(0.5) ? 0.5 : 0));
            case BOOLEAN -> NODES.booleanNode(rnd.nextBoolean());
            case ARRAY -> {
                int max = s.path("maxItems").asInt(5);
                int min = s.path("minItems").asInt(0);
                int n = pick(new Integer[] { min, Math.min(min + 1, max), Math.min(min + 2, max), max });
                ArrayNode a = NODES.arrayNode();
                for (int i = 0; i < n; i++) {
                    JsonNode item = baseline != null && baseline.isArray() && i < baseline.size() ? baseline.get(i) : null;
                    a.add(valid(s.path("items"), item, depth + 1));
                }
                yield a;
            }
            case OBJECT -> validObject(s, baseline, depth);
            case STRING -> NODES.textNode(!harvested.isEmpty() && chance(0.15) ? pick(harvested) : validText(s));
        };
    }

    private JsonNode validObject(JsonNode s, JsonNode baseline, int depth) {
        ObjectNode o = NODES.objectNode();
        Set<String> required = required(s);
        Iterator<String> names = s.path("properties").fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            JsonNode base = baseline == null ? null : baseline.get(name);
            boolean include = required.contains(name) || (base != null ? chance(0.8) : chance(0.5));
            if (include && depth < 8) {
                o.set(name, valid(s.path("properties").path(name), base, depth + 1));
            }
        }
        return o;
    }

    Set<String> required(JsonNode schema) {
        Set<String> out = new TreeSet<>();
        doc.resolve(schema).path("required").forEach(r -> out.add(r.asText()));
        return out;
    }

    private String enumValue(JsonNode schema) {
        JsonNode values = doc.resolve(schema).path("enum");
        return values.isEmpty() ? "X" : values.get(below(values.size())).asText();
    }

    private LocalDate validDate() {
        return switch (below(6)) {
            case 0 -> LocalDate.of(2000, 1, 1);
            case 1 -> LocalDate.of(2099, 12, 31);
            case 2 -> TODAY;
            default -> TODAY.plusDays(1 + below(500));
        };
    }

    private long integer(JsonNode s) {
        boolean hasMin = s.has("minimum");
        boolean hasMax = s.has("maximum");
        long min = hasMin ? s.get("minimum").asLong() : 0;
        long max = hasMax ? s.get("maximum").asLong() : (hasMin ? min + 1000 : 1000);
        return switch (below(4)) {
            case 0 -> min;
            case 1 -> max;
            default -> min + (long) (rnd.nextDouble() * (max - min + 1));
        };
    }

    /** Text within the schema's length and pattern: boundary lengths, mixed scripts. */
    private String validText(JsonNode s) {
        int max = s.path("maxLength").asInt(64);
        int min = Math.max(s.path("minLength").asInt(0), 0);
        String pattern = s.path("pattern").asText(null);
        int length = switch (below(5)) {
            case 0 -> Math.max(min, 1);
            case 1 -> max;
            case 2 -> Math.max(min, max - 1);
            default -> Math.max(min, Math.min(max, 1 + below(Math.min(max, 40))));
        };
        if (pattern == null || pattern.equals("\\S") || pattern.equals("[\\s\\S]*\\S[\\s\\S]*")) {
            String t = freeText(length);
            return pattern == null || !t.isBlank() ? t : "督" + t.substring(Math.min(1, t.length()));
        }
        String t = fromPattern(pattern, Math.max(length, 1));
        return t != null ? t : "A";
    }

    /** Mixed text of exactly `length` UTF-16 units: CJK, Latin, digits, and some odd characters. */
    String freeText(int length) {
        StringBuilder b = new StringBuilder();
        while (b.length() < length) {
            int roll = below(20);
            if (roll < 10) {
                b.append((char) (0x4e00 + below(0x5000)));
            } else if (roll < 14) {
                b.append((char) ('a' + below(26)));
            } else if (roll < 15) {
                b.append((char) ('0' + below(10)));
            } else if (roll < 16 && b.length() + 2 <= length) {
                b.append("🚀");
            } else if (roll < 17) {
                b.append(pick(new String[] { "\u200B", "\u202E", "\u200F", "\u0301", "\uFEFF", "\u3000" }));
            } else if (roll < 18) {
                b.append((char) (0x0600 + below(0x50)));
            } else {
                b.append(pick(new String[] { " ", "，", "。", "、", "\t", "\n", "'", "\"", "\\", "<", "%", "&" }));
            }
        }
        return b.toString();
    }

    /** Free text, percent-encoded, of about this many characters as sent. */
    String longEncoded(int encodedLength) {
        StringBuilder b = new StringBuilder();
        while (b.length() < encodedLength) {
            b.append(ApiCall.encode(freeText(16)));
        }
        return b.toString();
    }

    /**
     * A string matching a pattern made of character classes and simple quantifiers (what Bean
     * Validation's @Pattern puts in the document), or null for a pattern beyond that.
     */
    String fromPattern(String pattern, int length) {
        List<String> atoms = new ArrayList<>();
        List<Character> quantifiers = new ArrayList<>();
        int i = 0;
        while (i < pattern.length()) {
            int end;
            if (pattern.charAt(i) == '[') {
                end = pattern.indexOf(']', i + 2) + 1;
                if (end <= 0) {
                    return null;
                }
            } else if (pattern.charAt(i) == '\\') {
                end = i + 2;
            } else if ("()|{}^$".indexOf(pattern.charAt(i)) >= 0) {
                return null;
            } else {
                end = i + 1;
            }
            atoms.add(pattern.substring(i, end));
            char q = end < pattern.length() && "*+?".indexOf(pattern.charAt(end)) >= 0 ? pattern.charAt(end) : ' ';
            quantifiers.add(q);
            i = q == ' ' ? end : end + 1;
        }
        int[] counts = new int[atoms.size()];
        int repeatable = -1;
        int fixed = 0;
        for (int a = 0; a < atoms.size(); a++) {
            char q = quantifiers.get(a);
            counts[a] = q == '*' || q == '?' ? 0 : 1;
            fixed += counts[a];
            if (q == '*' || q == '+') {
                repeatable = a;
            }
        }
        if (repeatable >= 0 && length > fixed) {
            counts[repeatable] += length - fixed;
        }
        StringBuilder b = new StringBuilder();
        for (int a = 0; a < atoms.size(); a++) {
            for (int n = 0; n < counts[a]; n++) {
                b.append(charFor(atoms.get(a)));
            }
        }
        String out = b.toString();
        try {
            return Pattern.compile(pattern).matcher(out).matches() ? out : null;
        } catch (PatternSyntaxException e) {
            return null;
        }
    }

    private char charFor(String atom) {
        if (atom.startsWith("[")) {
            List<Character> chars = new ArrayList<>();
            String body = atom.substring(1, atom.length() - 1);
            for (int i = 0; i < body.length(); i++) {
                char c = body.charAt(i);
                if (c == '\\' && i + 1 < body.length()) {
                    char e = body.charAt(++i);
                    if (e == 'd') {
                        chars.add((char) ('0' + below(10)));
                    } else if (e == 's') {
                        chars.add(' ');
                    } else if (e == 'S' || e == 'w') {
                        chars.add('x');
                    } else {
                        chars.add(e);
                    }
                } else if (i + 2 < body.length() && body.charAt(i + 1) == '-') {
                    char to = body.charAt(i + 2);
                    for (char x = c; x <= to; x++) {
                        chars.add(x);
                    }
                    i += 2;
                } else {
                    chars.add(c);
                }
            }
            return chars.get(below(chars.size()));
        }
        if (atom.equals("\\d")) {
            return (char) ('0' + below(10));
        }
        if (atom.equals("\\S") || atom.equals("\\w") || atom.equals(".")) {
            return (char) ('a' + below(26));
        }
        if (atom.equals("\\s")) {
            return ' ';
        }
        return atom.charAt(atom.length() - 1);
    }

    // ---- bodies ----------------------------------------------------------------------------------

    /** A request body as sent, and what kind of variation it is (for the failure report). */
    record Body(byte[] bytes, String kind) {
    }

    /**
     * A body for a request schema: the baseline, a valid-but-odd one, one with a field broken, or
     * something that is not the schema's JSON at all.
     */
    Body body(JsonNode schema, String baselineJson) {
        JsonNode baseline = null;
        if (baselineJson != null) {
            try {
                baseline = JSON.readTree(baselineJson);
            } catch (JsonProcessingException e) {
                baseline = null;
            }
        }
        int roll = below(20);
        if (roll < 3 && baselineJson != null) {
            return new Body(baselineJson.getBytes(StandardCharsets.UTF_8), "baseline");
        }
        if (roll < 8) {
            return json(valid(schema, baseline, 0), List.of(), "valid-but-odd");
        }
        if (roll < 17) {
            JsonNode start = baseline != null && baseline.isObject() && chance(0.6) ? baseline.deepCopy() : valid(schema, baseline, 0);
            return broken(schema, start);
        }
        return notTheSchema(baselineJson);
    }

    /** One field (or the object as a whole) made wrong: type, null, missing, too long, unknown, deep. */
    private Body broken(JsonNode schema, JsonNode start) {
        JsonNode s = doc.resolve(schema);
        if (!start.isObject()) {
            return json(start, List.of(), "valid-but-odd");
        }
        ObjectNode o = (ObjectNode) start;
        List<String> raws = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        s.path("properties").fieldNames().forEachRemaining(fields::add);
        if (fields.isEmpty() || chance(0.15)) {
            switch (below(4)) {
                case 0 -> o.put(pick(new String[] { "unknownField", "id", "status", "version", "createdBy", "__proto__" }),
                        pick(new String[] { "x", "COMPLETED", "mallory" }));
                case 1 -> o.removeAll();
                case 2 -> o.set("nested", deep(raws));
                default -> o.fieldNames().forEachRemaining(f -> o.putNull(f));
            }
            return json(o, raws, "broken object");
        }
        String field = pick(fields);
        JsonNode fieldSchema = doc.resolve(s.path("properties").path(field));
        String what = field;
        switch (below(9)) {
            case 0 -> {
                o.set(field, wrongType(fieldSchema));
                what += ": wrong type";
            }
            case 1 -> {
                o.putNull(field);
                what += ": null";
            }
            case 2 -> {
                o.remove(field);
                what += ": missing";
            }
            case 3 -> {
                int max = fieldSchema.path("maxLength").asInt(fieldSchema.path("maxItems").asInt(100));
                if (kind(fieldSchema) == Kind.ARRAY) {
                    ArrayNode a = NODES.arrayNode();
                    int n = chance(0.5) ? max + 1 : 10_000;
                    for (int i = 0; i < n; i++) {
                        a.add(valid(fieldSchema.path("items"), null, 1));
                    }
                    o.set(field, a);
                } else {
                    o.put(field, freeText(chance(0.5) ? max + 1 : 100_000));
                }
                what += ": too long";
            }
            case 4 -> {
                o.put(field, pick(ODD_TEXT));
                what += ": odd text";
            }
            case 5 -> {
                o.set(field, raw(raws, pick(new String[] { "\"\\ud800\"", "\"a\\udc00b\"", "\"\\u0000\"",
                    "1" + "0".repeat(1500), "-" + "9".repeat(400) + ".5e99999", "1e400", "-0.0", "[]", "{}",
                    "\"" + "\\\\".repeat(500) + "\"" })));
                what += ": odd literal";
            }
            case 6 -> {
                o.set(field, deep(raws));
                what += ": deep nesting";
            }
            case 7 -> {
                Kind k = kind(fieldSchema);
                if (k == Kind.DATE || k == Kind.DATE_TIME) {
                    o.put(field, pick(ODD_DATES));
                } else if (k == Kind.INTEGER || k == Kind.NUMBER) {
                    // Written as they are: some are not JSON numbers at all (0x7E8, +1, NaN).
                    o.set(field, raw(raws, pick(ODD_INTEGERS).trim()));
                } else if (k == Kind.ENUM) {
                    o.put(field, pick(new String[] { "NOPE", "", "approve", " APPROVE" }));
                } else {
                    o.put(field, freeText(Math.max(1, fieldSchema.path("maxLength").asInt(10))));
                }
                what += ": boundary";
            }
            default -> {
                o.put("unknown" + below(3), "x");
                what = "unknown field";
            }
        }
        return json(o, raws, what);
    }

    private JsonNode wrongType(JsonNode schema) {
        return switch (kind(schema)) {
            case STRING, ENUM, DATE, DATE_TIME, UUID -> pick(new JsonNode[] { NODES.numberNode(20261231), NODES.booleanNode(true),
                NODES.objectNode().put("value", "x"), NODES.arrayNode().add("x"), NODES.numberNode(1.5) });
            case INTEGER, NUMBER -> pick(new JsonNode[] { NODES.textNode("5"), NODES.numberNode(12.5), NODES.booleanNode(false),
                NODES.arrayNode().add(1), NODES.objectNode() });
            case BOOLEAN -> pick(new JsonNode[] { NODES.textNode("true"), NODES.numberNode(1), NODES.arrayNode() });
            case ARRAY -> pick(new JsonNode[] { NODES.textNode("FGW"), NODES.objectNode(), NODES.numberNode(1),
                NODES.arrayNode().add(NODES.arrayNode()).add(NODES.nullNode()) });
            case OBJECT -> pick(new JsonNode[] { NODES.textNode("x"), NODES.arrayNode(), NODES.numberNode(0) });
        };
    }

    private JsonNode deep(List<String> raws) {
        int depth = pick(new Integer[] { 50, 999, 1001, 5000 });
        return chance(0.5) ? raw(raws, "[".repeat(depth) + "]".repeat(depth))
                : raw(raws, "{\"a\":".repeat(depth) + "1" + "}".repeat(depth));
    }

    /** A placeholder for JSON text that a tree cannot hold (a lone surrogate escape, a 1500-digit number). */
    private static JsonNode raw(List<String> raws, String text) {
        raws.add(text);
        return NODES.textNode("@@raw-" + (raws.size() - 1) + "@@");
    }

    private static Body json(JsonNode tree, List<String> raws, String kind) {
        String text;
        try {
            text = JSON.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < raws.size(); i++) {
            text = text.replace("\"@@raw-" + i + "@@\"", raws.get(i));
        }
        return new Body(text.getBytes(StandardCharsets.UTF_8), kind);
    }

    /** Bodies that are not the schema's JSON: other JSON values, broken JSON, other formats, bad bytes. */
    private Body notTheSchema(String baselineJson) {
        String base = baselineJson != null ? baselineJson : "{}";
        int roll = below(16);
        return switch (roll) {
            case 0 -> text("", "empty");
            case 1 -> text(pick(new String[] { "null", "[]", "\"text\"", "1", "true", "[{}]", "  " }), "other JSON value");
            case 2 -> text(base.substring(0, Math.max(0, base.length() / 2)), "truncated");
            case 3 -> text(base + pick(new String[] { "xyz", "{}", ",", " //", "\u0000" }), "trailing garbage");
            case 4 -> text(base.replaceFirst("\\{\"", "{\"k\":1,\"k\":2,\""), "duplicate key");
            case 5 -> new Body(concat(new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF }, base.getBytes(StandardCharsets.UTF_8)), "BOM");
            case 6 -> text(base.replaceFirst("\"", "\"\u0001"), "raw control char");
            case 7 -> new Body(invalidUtf8(base), "invalid UTF-8");
            case 8 -> text("<item><title>x</title></item>", "XML");
            case 9 -> text("title=x&leadUnit=FGW", "form");
            case 10 -> text("[".repeat(100_000), "deep array");
            case 11 -> text("{\"a\":\"" + "x".repeat(2_000_000) + "\"}", "2 MB string");
            case 12 -> text("{'title': 'single quotes'}", "single quotes");
            case 13 -> text(base.replace(":", ": NaN, \"n\":"), "NaN literal");
            case 14 -> new Body(base.getBytes(StandardCharsets.UTF_16), "UTF-16");
            default -> text("{\"a\":" + "[1,".repeat(30_000) + "1" + "]".repeat(30_000) + "}", "nested arrays");
        };
    }

    private static Body text(String s, String kind) {
        return new Body(s.getBytes(StandardCharsets.UTF_8), kind);
    }

    private byte[] invalidUtf8(String base) {
        byte[] b = base.getBytes(StandardCharsets.UTF_8);
        byte[] bad = pick(new byte[][] { { (byte) 0xC3 }, { (byte) 0xFF }, { (byte) 0xED, (byte) 0xA0, (byte) 0x80 },
            { (byte) 0xC0, (byte) 0xAF } });
        int at = b.length > 2 ? 1 + below(b.length - 2) : 0;
        // Inside a string value where possible, so that the parser meets it as text.
        for (int i = at; i < b.length; i++) {
            if (b[i] == '"') {
                at = i + 1;
                break;
            }
        }
        byte[] out = new byte[b.length + bad.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(bad, 0, out, at, bad.length);
        System.arraycopy(b, at, out, at + bad.length, b.length - at);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
