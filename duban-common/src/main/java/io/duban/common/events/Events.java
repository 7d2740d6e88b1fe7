package io.duban.common.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.duban.common.web.JsonConfig;
import jakarta.annotation.Nullable;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.OffsetDateTime;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one codec of the event contract: producers write {@link Event}s with it, consumers read them
 * with it, so that both sides share the field names, the formats and the checks. It uses its own
 * Jackson mapper, not an application's, so that no service's JSON settings change the wire.
 *
 * <p>Reading is strict about what version 1 defines (types, formats, required fields) and tolerant of
 * fields it does not know, which is what lets additive changes keep the schema version.
 */
public final class Events {

    /** The contract version this code writes and reads. Additive changes keep it; breaking ones bump it. */
    public static final int SCHEMA_VERSION = 1;

    /** The published JSON Schema of this version, a classpath resource of duban-common. */
    public static final String SCHEMA_RESOURCE = "events/v1/duban-events.schema.json";

    /** The schema's {@code $id}. */
    public static final String SCHEMA_ID = "https://duban.io/" + SCHEMA_RESOURCE;

    private static final ObjectMapper JSON = mapper();

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private Events() {
    }

    private static ObjectMapper mapper() {
        JsonMapper mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(new SimpleModule("duban-events").addDeserializer(OffsetDateTime.class, new Rfc3339()))
                .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
                        JsonInclude.Include.NON_NULL))
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                // Some types have no data of their own; they still get "data": {}.
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                // No epoch numbers for dates, no date-times where a date is due.
                .defaultLeniency(false)
                .build();
        // A value of the wrong JSON type is an error, as the schema says, not a silent conversion.
        JsonConfig.refuseCoercion(mapper);
        for (EventType type : EventType.values()) {
            mapper.registerSubtypes(new NamedType(type.dataType(), type.name()));
        }
        return mapper;
    }

    /**
     * occurredAt as the schema's date-time (RFC 3339: seconds and offset required), keeping the office's
     * offset. Jackson's own reader would also take epoch numbers and turn the offset into UTC.
     */
    private static final class Rfc3339 extends StdDeserializer<OffsetDateTime> {

        private static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder()
                .append(DateTimeFormatter.ISO_LOCAL_DATE)
                .appendLiteral('T')
                .appendPattern("HH:mm:ss")
                .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
                .appendOffset("+HH:MM", "Z")
                .toFormatter()
                .withResolverStyle(ResolverStyle.STRICT)
                .withChronology(IsoChronology.INSTANCE);

        Rfc3339() {
            super(OffsetDateTime.class);
        }

        @Override
        public OffsetDateTime deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                return (OffsetDateTime) ctxt.handleUnexpectedToken(OffsetDateTime.class, p);
            }
            try {
                return OffsetDateTime.parse(p.getText(), FORMAT);
            } catch (DateTimeParseException e) {
                throw ctxt.weirdStringException(p.getText(), OffsetDateTime.class, "not an RFC 3339 date-time");
            }
        }
    }

    /** The event as JSON, after checking that it is complete. */
    public static ObjectNode write(Event event) {
        requireComplete(event);
        return JSON.valueToTree(event);
    }

    /** The event as a plain map of JSON values, for a JSON column such as the outbox payload. */
    public static Map<String, Object> toMap(Event event) {
        return JSON.convertValue(write(event), MAP);
    }

    public static String toJson(Event event) {
        try {
            return JSON.writeValueAsString(write(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event tree always serializes", e);
        }
    }

    /**
     * Reads one event, choosing the data record by {@code type}.
     *
     * @throws EventFormatException for anything but a complete event of a known type and version
     */
    public static Event read(JsonNode payload) {
        if (payload == null || !payload.isObject()) {
            throw new EventFormatException("an event is a JSON object");
        }
        JsonNode version = payload.get("schemaVersion");
        if (version == null || !version.isInt()) {
            throw new EventFormatException("schemaVersion is missing or not an integer");
        }
        requireSupported(version.intValue());
        EventType type = type(payload.get("type"));
        refuseNulls(type, payload);
        Event event;
        try {
            event = JSON.treeToValue(payload, Event.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw explain(type, e);
        }
        requireComplete(event);
        return event;
    }

    public static Event read(String json) {
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new EventFormatException("not JSON: " + e.getOriginalMessage(), e);
        }
        return read(tree);
    }

    /** Reads an event from a map of JSON values, such as an outbox row's payload. */
    public static Event read(Map<String, ?> payload) {
        JsonNode tree = JSON.valueToTree(payload);
        return read(tree);
    }

    /** Refuses a schema version this code does not understand, rather than guessing at its fields. */
    static void requireSupported(int schemaVersion) {
        if (schemaVersion != SCHEMA_VERSION) {
            throw new EventFormatException("schemaVersion " + schemaVersion + " is not supported: this code reads"
                    + " and writes version " + SCHEMA_VERSION);
        }
    }

    private static EventType type(JsonNode type) {
        if (type == null || !type.isTextual()) {
            throw new EventFormatException("type is missing or not a string");
        }
        try {
            return EventType.valueOf(type.textValue());
        } catch (IllegalArgumentException e) {
            throw new EventFormatException("unknown event type '" + type.textValue() + "' in schema version "
                    + SCHEMA_VERSION + "; known types: " + Arrays.stream(EventType.values()).map(Enum::name)
                            .collect(Collectors.joining(", ")));
        }
    }

    /**
     * An optional field is left out, never null: the schema gives no field a null value, and Jackson
     * alone would not tell an explicit null from an absent field.
     */
    private static void refuseNulls(EventType type, JsonNode payload) {
        for (RecordComponent c : Event.class.getRecordComponents()) {
            if (payload.path(c.getName()).isNull()) {
                throw new EventFormatException(type + ": " + c.getName() + " is null; an absent value is left out");
            }
        }
        JsonNode data = payload.path("data");
        for (RecordComponent c : type.dataType().getRecordComponents()) {
            if (data.path(c.getName()).isNull()) {
                throw new EventFormatException(type + ": data." + c.getName() + " is null; an absent value is left"
                        + " out");
            }
        }
    }

    /** Every component not marked {@link Nullable} has a value, in the envelope and in the data. */
    private static void requireComplete(Event event) {
        requireComponents(event.type(), event, "");
        requireComponents(event.type(), (Record) event.data(), "data.");
    }

    private static void requireComponents(EventType type, Record record, String prefix) {
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            if (c.isAnnotationPresent(Nullable.class)) {
                continue;
            }
            Object value;
            try {
                value = c.getAccessor().invoke(record);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("record accessors of the event contract are public", e);
            }
            if (value == null) {
                throw new EventFormatException(type + ": " + prefix + c.getName() + " is required");
            }
        }
    }

    /** Jackson's complaint, reduced to the event type, the field and what was wrong with it. */
    private static EventFormatException explain(EventType type, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EventFormatException known) {
                return known;
            }
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            String field = m.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            // Jackson reads data apart from the envelope (its type is a sibling field) and loses that step.
            Object from = m.getPath().get(0).getFrom();
            if (from instanceof EventData || from instanceof Class<?> c && EventData.class.isAssignableFrom(c)) {
                field = "data." + field;
            }
            return new EventFormatException(type + ": " + field + ": " + m.getOriginalMessage(), e);
        }
        return new EventFormatException(type + ": " + e.getMessage(), e);
    }
}
