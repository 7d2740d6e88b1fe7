package io.duban.common.events;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.generator.impl.PropertySortUtils;
import jakarta.annotation.Nullable;
import java.util.Map;

/**
 * Builds the published JSON Schema from the records, so that the schema cannot say something the
 * code does not do. {@link EventContractTest} compares the result with the checked-in file.
 *
 * <p>Shape: {@code $defs.Envelope} holds the fields every event shares; {@code $defs.<TYPE>} is the
 * envelope with {@code type} fixed to that type and {@code data} described by its record; the root
 * accepts exactly one of the types. Unknown fields are allowed, as the codec ignores them: that is
 * what lets additive changes keep the schema version.
 */
final class EventSchemaGenerator {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EventSchemaGenerator() {
    }

    static ObjectNode generate() {
        SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(JSON, SchemaVersion.DRAFT_2020_12,
                OptionPreset.PLAIN_JSON).without(Option.SCHEMA_VERSION_INDICATOR);
        // Declaration order, as in the records and the examples.
        config.forTypesInGeneral().withPropertySorter(PropertySortUtils.SORT_PROPERTIES_FIELDS_BEFORE_METHODS);
        // The codec's rule: a component is required unless marked @Nullable, and then it is left out, never null.
        config.forFields()
                .withRequiredCheck(field -> field.getAnnotation(Nullable.class) == null)
                .withDescriptionResolver(EventSchemaGenerator::description);
        SchemaGenerator generator = new SchemaGenerator(config.build());

        ObjectNode schema = JSON.createObjectNode();
        schema.put("$schema", SchemaVersion.DRAFT_2020_12.getIdentifier());
        schema.put("$id", Events.SCHEMA_ID);
        schema.put("title", "Duban events, schema version " + Events.SCHEMA_VERSION);
        schema.put("description", "What task-service publishes through its outbox (SPEC.md, Events). Generated from"
                + " io.duban.common.events; do not edit by hand. Consumers ignore fields they do not know: additive"
                + " changes keep the schema version, breaking ones bump it.");
        ArrayNode oneOf = schema.putArray("oneOf");
        ObjectNode defs = JSON.createObjectNode();
        defs.set("Envelope", envelope(generator.generateSchema(Event.class)));
        for (EventType type : EventType.values()) {
            oneOf.addObject().put("$ref", "#/$defs/" + type.name());
            defs.set(type.name(), definition(type, generator.generateSchema(type.dataType())));
        }
        schema.set("$defs", defs);
        return schema;
    }

    /** Event's fields, with type in the place the examples give it, and the assignment fields tied together. */
    private static ObjectNode envelope(ObjectNode generated) {
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("type", "object");
        ObjectNode properties = envelope.putObject("properties");
        for (Map.Entry<String, JsonNode> p : generated.get("properties").properties()) {
            switch (p.getKey()) {
                case "schemaVersion" -> properties.set("schemaVersion", ((ObjectNode) p.getValue()).put("const",
                        Events.SCHEMA_VERSION));
                case "eventId" -> {
                    properties.set("eventId", p.getValue());
                    ObjectNode type = properties.putObject("type");
                    type.put("type", "string");
                    type.put("description", "Which event this is; it names the shape of data.");
                    ArrayNode names = type.putArray("enum");
                    for (EventType t : EventType.values()) {
                        names.add(t.name());
                    }
                }
                case "data" -> properties.putObject("data").put("type", "object")
                        .put("description", "What this type of event adds: see the definition of the type.");
                default -> properties.set(p.getKey(), p.getValue());
            }
        }
        ArrayNode required = envelope.putArray("required");
        for (JsonNode name : generated.get("required")) {
            required.add(name);
            if (name.asText().equals("eventId")) {
                required.add("type");
            }
        }
        ObjectNode together = envelope.putObject("dependentRequired");
        for (String field : Event.ASSIGNMENT_FIELDS) {
            ArrayNode others = together.putArray(field);
            Event.ASSIGNMENT_FIELDS.stream().filter(f -> !f.equals(field)).forEach(others::add);
        }
        return envelope;
    }

    private static ObjectNode definition(EventType type, ObjectNode data) {
        ObjectNode definition = JSON.createObjectNode();
        definition.put("description", type.dataType().getAnnotation(JsonClassDescription.class).value());
        definition.put("$ref", "#/$defs/Envelope");
        ObjectNode properties = definition.putObject("properties");
        properties.putObject("type").put("const", type.name());
        properties.set("data", data);
        if (type.scope() == EventType.Scope.ASSIGNMENT) {
            ArrayNode required = definition.putArray("required");
            Event.ASSIGNMENT_FIELDS.forEach(required::add);
        }
        return definition;
    }

    private static String description(FieldScope field) {
        JsonPropertyDescription d = field.getAnnotationConsideringFieldAndGetter(JsonPropertyDescription.class);
        return d == null ? null : d.value();
    }
}
