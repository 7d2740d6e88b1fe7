package io.duban.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.List;
import java.util.Locale;

/**
 * The published event schema (duban-common's {@code events/v1/…}) as a validator, so that the
 * producer's tests and every consumer's tests check payloads the same way: formats (uuid, date,
 * date-time) are asserted, not just annotations.
 */
public final class EventSchema {

    private final JsonSchema schema;

    private EventSchema(JsonSchema schema) {
        this.schema = schema;
    }

    /** The schema at a classpath resource, such as {@code Events.SCHEMA_RESOURCE}. */
    public static EventSchema load(String classpathResource) {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .formatAssertionsEnabled(true)
                .locale(Locale.ENGLISH)
                .build();
        return new EventSchema(factory.getSchema(SchemaLocation.of("classpath:" + classpathResource), config));
    }

    /** What is wrong with the payload, one line per problem; empty when it is valid. */
    public List<String> problems(JsonNode payload) {
        return schema.validate(payload).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    public boolean isValid(JsonNode payload) {
        return schema.validate(payload).isEmpty();
    }
}
