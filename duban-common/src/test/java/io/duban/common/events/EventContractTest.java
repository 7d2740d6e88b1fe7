package io.duban.common.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.duban.common.domain.AssignmentRole;
import io.duban.common.domain.AssignmentStatus;
import io.duban.common.domain.FeedbackCycle;
import io.duban.common.domain.ItemStatus;
import io.duban.common.domain.Priority;
import io.duban.testing.EventSchema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The event contract from both ends: the published schema is the one the records generate, every
 * type has a valid example that the codec reads into its record and writes back unchanged, and the
 * schema and the codec reject the same broken payloads.
 */
class EventContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static EventSchema schema;

    @BeforeAll
    static void load() {
        schema = EventSchema.load(Events.SCHEMA_RESOURCE);
    }

    private static JsonNode resource(String path) {
        try (InputStream in = EventContractTest.class.getClassLoader().getResourceAsStream(path)) {
            assertNotNull(in, "no resource " + path);
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new AssertionError(path + " is not JSON", e);
        }
    }

    static ObjectNode example(EventType type) {
        return (ObjectNode) resource("events/v1/examples/" + type.name() + ".json");
    }

    @Test
    void theCheckedInSchemaIsTheOneTheRecordsGenerate() throws IOException {
        ObjectNode generated = EventSchemaGenerator.generate();
        if (!generated.equals(resource(Events.SCHEMA_RESOURCE))) {
            Path out = Path.of("target", "generated-events", "duban-events.schema.json");
            Files.createDirectories(out.getParent());
            Files.writeString(out, pretty(generated));
            fail("The event records and " + Events.SCHEMA_RESOURCE + " differ. Review " + out.toAbsolutePath()
                    + " and copy it to duban-common/src/main/resources/" + Events.SCHEMA_RESOURCE
                    + " (an incompatible change also bumps Events.SCHEMA_VERSION).");
        }
    }

    /** Two-space indentation and one array element per line, so that a change to the schema diffs well. */
    private static String pretty(JsonNode node) throws IOException {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        printer.indentObjectsWith(indenter);
        printer.indentArraysWith(indenter);
        return JSON.writer(printer).writeValueAsString(node) + "\n";
    }

    @Test
    void everyTypeHasADefinitionAndAnExampleAndTheSchemaAcceptsNoOtherType() {
        JsonNode published = resource(Events.SCHEMA_RESOURCE);
        for (EventType type : EventType.values()) {
            assertTrue(published.get("$defs").has(type.name()), "no definition of " + type);
            assertEquals(type.name(), example(type).get("type").asText());
        }
        List<String> roots = new ArrayList<>();
        published.get("oneOf").forEach(ref -> roots.add(ref.get("$ref").asText()));
        assertEquals(Arrays.stream(EventType.values()).map(t -> "#/$defs/" + t.name()).toList(), roots);
    }

    @Test
    void everyDataRecordBelongsToExactlyOneType() {
        Set<Class<?>> records = Set.of(EventData.class.getPermittedSubclasses());
        Set<Class<?>> named = Arrays.stream(EventType.values()).map(EventType::dataType).collect(Collectors.toSet());
        assertEquals(records, named);
        assertEquals(EventType.values().length, named.size());
        for (EventType type : EventType.values()) {
            assertEquals(type, EventType.of(type.dataType()));
        }
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void theExampleIsValid(EventType type) {
        assertEquals(List.of(), schema.problems(example(type)));
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void theExampleReadsIntoItsRecordAndWritesBackTheSameJson(EventType type) {
        ObjectNode example = example(type);
        Event event = Events.read(example);
        assertEquals(type, event.type());
        assertInstanceOf(type.dataType(), event.data());
        assertEquals(example, Events.write(event));
        assertEquals(event, Events.read(Events.toJson(event)));
        assertEquals(event, Events.read(Events.toMap(event)));
    }

    @Test
    void aMissingFieldIsRejected() {
        ObjectNode urged = example(EventType.ITEM_URGED);
        ((ObjectNode) urged.get("data")).remove("message");
        assertRejected(urged, "ITEM_URGED: data.message is required");

        ObjectNode dispatched = example(EventType.ITEM_DISPATCHED);
        dispatched.remove("itemNumber");
        assertRejected(dispatched, "ITEM_DISPATCHED: itemNumber is required");
    }

    @Test
    void aValueOfTheWrongTypeIsRejected() {
        ObjectNode progress = example(EventType.PROGRESS_REPORTED);
        ((ObjectNode) progress.get("data")).put("percent", "六十");
        assertRejected(progress, "PROGRESS_REPORTED: data.percent");

        ObjectNode completed = example(EventType.ITEM_COMPLETED);
        ((ObjectNode) completed.get("data")).put("rating", "优秀");
        assertRejected(completed, "ITEM_COMPLETED: data.rating");

        ObjectNode extension = example(EventType.EXTENSION_REQUESTED);
        ((ObjectNode) extension.get("data")).put("requestedDeadline", "2026年11月13日");
        assertRejected(extension, "EXTENSION_REQUESTED: data.requestedDeadline");
    }

    @Test
    void anUnknownTypeIsRejected() {
        ObjectNode unknown = example(EventType.ITEM_URGED).put("type", "ITEM_ESCALATED");
        assertRejected(unknown, "unknown event type 'ITEM_ESCALATED'");
        ObjectNode missing = example(EventType.ITEM_URGED);
        missing.remove("type");
        assertRejected(missing, "type is missing");
    }

    @Test
    void aSchemaVersionThisCodeDoesNotKnowIsRejected() {
        assertRejected(example(EventType.ITEM_URGED).put("schemaVersion", 2), "schemaVersion 2 is not supported");
        ObjectNode missing = example(EventType.ITEM_URGED);
        missing.remove("schemaVersion");
        assertRejected(missing, "schemaVersion is missing");
    }

    @Test
    void anAssignmentEventNeedsItsAssignmentAndNoEventHasHalfOfOne() {
        ObjectNode urged = example(EventType.ITEM_URGED);
        urged.remove(Event.ASSIGNMENT_FIELDS);
        assertRejected(urged, "ITEM_URGED concerns an assignment");

        ObjectNode half = example(EventType.INSTRUCTION_ADDED);
        half.remove("role");
        assertRejected(half, "come together or not at all");

        ObjectNode itemLevel = example(EventType.INSTRUCTION_ADDED);
        itemLevel.remove(Event.ASSIGNMENT_FIELDS);
        assertTrue(schema.isValid(itemLevel), () -> schema.problems(itemLevel).toString());
        assertEquals(null, Events.read(itemLevel).unitCode());
    }

    @Test
    void anOptionalFieldIsLeftOutNotNull() {
        ObjectNode progress = example(EventType.PROGRESS_REPORTED);
        ((ObjectNode) progress.get("data")).putNull("helpNeeded");
        assertRejected(progress, "PROGRESS_REPORTED: data.helpNeeded");
        ((ObjectNode) progress.get("data")).remove("helpNeeded");
        assertEquals(null, ((EventData.ProgressReported) Events.read(progress).data()).helpNeeded());
    }

    @Test
    void fieldsThisVersionDoesNotKnowAreIgnoredSoThatAdditiveChangesKeepTheVersion() {
        ObjectNode urged = example(EventType.ITEM_URGED);
        urged.put("escalationLevel", 2);
        ((ObjectNode) urged.get("data")).put("channel", "短信");
        assertTrue(schema.isValid(urged));
        assertEquals(Events.read(example(EventType.ITEM_URGED)), Events.read(urged));
    }

    @Test
    void theCodecWritesOnlyCompleteEvents() {
        Event urged = Events.read(example(EventType.ITEM_URGED));
        Event incomplete = new Event(1, urged.eventId(), urged.occurredAt(), urged.actor(), urged.itemId(),
                urged.itemNumber(), urged.title(), urged.priority(), urged.itemStatus(), urged.itemDeadline(),
                urged.unitCode(), urged.role(), urged.status(), urged.deadline(), urged.feedbackCycle(),
                new EventData.ItemUrged(null, 2));
        EventFormatException e = assertThrows(EventFormatException.class, () -> Events.write(incomplete));
        assertEquals("ITEM_URGED: data.message is required", e.getMessage());
        assertThrows(EventFormatException.class, () -> new Event(2, UUID.randomUUID(),
                OffsetDateTime.parse("2026-10-23T09:00:00+08:00"), "dcs.wang", UUID.randomUUID(), "DB-2026-0042", "标题",
                Priority.NORMAL, ItemStatus.ACTIVE, LocalDate.of(2026, 10, 30), "CZJ", AssignmentRole.ASSIST,
                AssignmentStatus.IN_PROGRESS, LocalDate.of(2026, 10, 30), FeedbackCycle.NONE,
                new EventData.ItemUrged("请加快办理", 1)));
    }

    /**
     * The schema and the codec are two statements of one contract. On every small corruption of every
     * example (a field removed, or given a value of another JSON type; the type changed; a field
     * added) they must agree: what one accepts the other accepts.
     */
    @Test
    void theSchemaAndTheCodecAgreeOnEveryVariantOfTheExamples() {
        List<String> disagreements = new ArrayList<>();
        int cases = 0;
        for (EventType type : EventType.values()) {
            for (Map.Entry<String, JsonNode> variant : variants(example(type)).entrySet()) {
                cases++;
                boolean valid = schema.isValid(variant.getValue());
                boolean read = reads(variant.getValue());
                if (valid != read) {
                    disagreements.add(type + " " + variant.getKey() + ": schema " + (valid ? "accepts" : "rejects")
                            + ", codec " + (read ? "accepts" : "rejects"));
                }
            }
        }
        assertEquals(List.of(), disagreements);
        assertTrue(cases > 17 * 100, "only " + cases + " variants");
    }

    private static final List<JsonNode> OTHER_VALUES = List.of(JsonNodeFactory.instance.nullNode(),
            JsonNodeFactory.instance.booleanNode(true), JsonNodeFactory.instance.numberNode(12345),
            JsonNodeFactory.instance.numberNode(1.5), JsonNodeFactory.instance.textNode("文本"),
            JsonNodeFactory.instance.textNode(""), JsonNodeFactory.instance.textNode("2026-10-23"),
            JsonNodeFactory.instance.textNode("2026-10-23T09:00+08:00"),
            JsonNodeFactory.instance.textNode("2026-10-23T09:00:00"),
            JsonNodeFactory.instance.textNode("2026-10-23T09:00:00.25Z"),
            JsonNodeFactory.instance.textNode("7a1e9c3d-2b4f-4d6a-8e5c-0f3b7d9a1c26"), JsonNodeFactory.instance.objectNode(),
            JsonNodeFactory.instance.arrayNode(), JsonNodeFactory.instance.arrayNode().add("文本"));

    private static Map<String, JsonNode> variants(ObjectNode example) {
        Map<String, JsonNode> variants = new LinkedHashMap<>();
        example.fieldNames().forEachRemaining(field -> {
            ObjectNode without = example.deepCopy();
            without.remove(field);
            variants.put("without " + field, without);
            for (JsonNode value : OTHER_VALUES) {
                variants.put(field + " = " + value, example.deepCopy().set(field, value));
            }
        });
        example.get("data").fieldNames().forEachRemaining(field -> {
            ObjectNode without = example.deepCopy();
            ((ObjectNode) without.get("data")).remove(field);
            variants.put("without data." + field, without);
            for (JsonNode value : OTHER_VALUES) {
                ObjectNode changed = example.deepCopy();
                ((ObjectNode) changed.get("data")).set(field, value);
                variants.put("data." + field + " = " + value, changed);
            }
        });
        for (EventType other : EventType.values()) {
            variants.put("type = " + other, example.deepCopy().put("type", other.name()));
        }
        for (String field : Event.ASSIGNMENT_FIELDS) {
            variants.put("only " + field + " of the assignment", example.deepCopy()
                    .without(Event.ASSIGNMENT_FIELDS.stream().filter(f -> !f.equals(field)).toList()));
        }
        variants.put("an unknown field", example.deepCopy().put("unknown", "x"));
        ObjectNode unknownInData = example.deepCopy();
        ((ObjectNode) unknownInData.get("data")).put("unknown", "x");
        variants.put("an unknown field in data", unknownInData);
        return variants;
    }

    private static boolean reads(JsonNode payload) {
        try {
            Events.read(payload);
            return true;
        } catch (EventFormatException e) {
            return false;
        }
    }

    private static void assertRejected(JsonNode payload, String message) {
        assertFalse(schema.isValid(payload), "the schema accepts " + payload);
        EventFormatException e = assertThrows(EventFormatException.class, () -> Events.read(payload));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
