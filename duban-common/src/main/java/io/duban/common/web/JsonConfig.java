package io.duban.common.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.duban.common.time.OfficeConfig;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;

/** JSON rules shared by every endpoint: strict input, and timestamps written fast, in the office's zone. */
@Singleton
public class JsonConfig implements ObjectMapperCustomizer {

    private final ZoneId zone;

    @Inject
    public JsonConfig(OfficeConfig office) {
        this(office.zone());
    }

    JsonConfig(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        // One JSON value per body, each key once: `{...}xyz` and `{"a":1,"a":2}` are malformed, not guessed at.
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.getFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // Wrong types are errors, not silent conversions: "percent": 12.5 or "50", "title": 123,
        // "deadline": 20261231 (which would be read as a day count from 1970).
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.coercionConfigFor(LogicalType.DateTime)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        refuseCoercion(mapper);
        mapper.registerModule(new SimpleModule("duban-strings").addDeserializer(String.class, new CleanStrings()));
        // Timestamps as Jackson writes them, without its formatter's cost (registered after the java.time
        // module, so this one is found first).
        // Instants in the office's zone, with its offset, like every OffsetDateTime of the API.
        mapper.registerModule(new SimpleModule("duban-times")
                .addSerializer(OffsetDateTime.class, new IsoOffsetDateTimeSerializer())
                .addSerializer(Instant.class, new OfficeInstantSerializer(zone)));
    }

    /** A value of the wrong JSON type is an error, not a silent conversion: for bodies and for events alike. */
    public static ObjectMapper refuseCoercion(ObjectMapper mapper) {
        mapper.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    /**
     * Refuses text that cannot be stored as it was sent: control characters other than tab and line
     * breaks (PostgreSQL cannot store NUL, and the others only come from broken or hostile clients),
     * and lone UTF-16 surrogates (they would be stored as `?`, so the answer would differ from what
     * is kept).
     */
    static final class CleanStrings extends StringDeserializer {

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String s = super.deserialize(p, ctxt);
            String flaw = Texts.flaw(s);
            if (flaw != null) {
                throw new BadTextException(p, flaw, s);
            }
            return s;
        }
    }

    /** Text that arrived well-formed as JSON but cannot be accepted: `reason` is a message key. */
    public static final class BadTextException extends InvalidFormatException {

        private final String reason;

        BadTextException(JsonParser p, String reason, String value) {
            super(p, "unacceptable text", value, String.class);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }
}
