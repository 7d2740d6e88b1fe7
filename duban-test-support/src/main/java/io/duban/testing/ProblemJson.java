package io.duban.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** What every error answer of every service is: RFC 9457 problem+json with our fields filled in. */
public final class ProblemJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemJson() {
    }

    /**
     * Why the answer is not a proper problem document, or null when it is: the media type is
     * application/problem+json, `status` repeats the HTTP status, `title`, `detail` and `code` say
     * something.
     */
    public static String flaw(RawHttp.Response r) {
        if (!r.contentType().startsWith("application/problem+json")) {
            return "Content-Type is '" + r.contentType() + "', not application/problem+json";
        }
        JsonNode body;
        try {
            body = JSON.readTree(r.body());
        } catch (IOException e) {
            return "the body is not JSON";
        }
        if (body == null || !body.isObject()) {
            return "the body is not a JSON object";
        }
        if (body.path("status").asInt(-1) != r.status()) {
            return "`status` is " + body.path("status") + ", the HTTP status " + r.status();
        }
        for (String field : new String[] { "title", "detail", "code" }) {
            if (!body.path(field).isTextual() || body.path(field).asText().isBlank()) {
                return "`" + field + "` is missing or blank";
            }
        }
        return null;
    }
}
