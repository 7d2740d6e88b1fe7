package io.duban.common.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.duban.common.time.OfficeDates;
import io.duban.common.web.DateParameters;
import io.duban.common.web.JsonConfig;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.persistence.OptimisticLockException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hibernate.StaleStateException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where failures become RFC 9457 problem+json, for every service. Nothing here leaks a class name or a
 * stack trace: unexpected failures are logged and answered with a generic 500.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, HttpHeaders headers, UriInfo uri) {
        Locale locale = Messages.locale(headers);
        List<Problem.Field> fields = e.errors().stream()
                .map(f -> new Problem.Field(f.field(), Messages.get(locale, f.message(), f.args())))
                .toList();
        return respond(e.status(), e.code(), locale, uri, fields, e.args());
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, HttpHeaders headers, UriInfo uri) {
        List<Problem.Field> fields = e.getConstraintViolations().stream()
                .map(v -> new Problem.Field(fieldName(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.Field::field))
                .toList();
        return respond(400, "validation", Messages.locale(headers), uri, fields);
    }

    /** Listed one by one: the JSON extension maps some of these subtypes itself, not as problem+json. */
    @ServerExceptionMapper({ JsonProcessingException.class, JsonParseException.class, JsonMappingException.class,
            MismatchedInputException.class, InvalidFormatException.class, ValueInstantiationException.class })
    public Response unreadable(JsonProcessingException e, HttpHeaders headers, UriInfo uri) {
        Locale locale = Messages.locale(headers);
        if (e instanceof JsonParseException || !(e instanceof JsonMappingException mapping)
                || mapping.getPath().isEmpty()) {
            return respond(400, "malformed-json", locale, uri, List.of());
        }
        String field = mapping.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        String message;
        Class<?> target = mapping instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
        if (e instanceof JsonConfig.BadTextException bad) {
            message = Messages.get(locale, bad.reason());
        } else if (target != null && target.isEnum()) {
            message = Messages.get(locale, "field.enum", Stream.of(target.getEnumConstants())
                    .map(String::valueOf).collect(Collectors.joining(", ")));
        } else if (target != null) {
            message = Messages.get(locale, "field.expected", new Messages.Key("type." + typeName(target)));
        } else {
            message = Messages.get(locale, "field.type");
        }
        return respond(400, "malformed-json", locale, uri, List.of(new Problem.Field(field, message)));
    }

    /** The JSON type a Java type is read from, as a message key suffix: text, integer, date... */
    private static String typeName(Class<?> type) {
        if (type == String.class || type == Character.class || type == char.class) {
            return "text";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class) {
            return "integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "boolean";
        }
        if (type == java.time.LocalDate.class) {
            return "date";
        }
        if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
            return "timestamp";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "array";
        }
        return "object";
    }

    @ServerExceptionMapper({ OptimisticLockException.class, StaleStateException.class })
    public Response concurrentChange(RuntimeException e, HttpHeaders headers, UriInfo uri) {
        return respond(409, "concurrent-change", Messages.locale(headers), uri, List.of());
    }

    /** A unique constraint lost a race that the service's own check could not see coming. */
    @ServerExceptionMapper
    public Response duplicate(org.hibernate.exception.ConstraintViolationException e, HttpHeaders headers, UriInfo uri) {
        return respond(409, "duplicate", Messages.locale(headers), uri, List.of());
    }

    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class })
    public Response unauthorized(RuntimeException e, HttpHeaders headers, UriInfo uri) {
        Response r = respond(401, "unauthorized", Messages.locale(headers), uri, List.of());
        return Response.fromResponse(r).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpHeaders headers, UriInfo uri) {
        return respond(403, "forbidden", Messages.locale(headers), uri, List.of());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpHeaders headers, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            // The JSON reader wraps parse failures; answer them like any other unreadable body.
            return unreadable(json, headers, uri);
        }
        Response badQuery = badQueryParameter(e, headers, uri);
        if (badQuery != null) {
            return badQuery;
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        return respond(status, "http-" + status, Messages.locale(headers), uri, List.of());
    }

    /**
     * JAX-RS answers 404 when a query parameter does not convert ("status=NOPE"), as if the resource
     * did not exist. A bad query parameter is bad input: 400, naming the parameter. A path parameter
     * that does not convert (an id that is not a UUID) stays 404: no such resource.
     */
    private static Response badQueryParameter(WebApplicationException e, HttpHeaders headers, UriInfo uri) {
        Throwable cause = e.getCause();
        if (!(e instanceof NotFoundException) || uri == null
                || !(cause instanceof IllegalArgumentException || cause instanceof DateTimeException)
                || cause.getMessage() == null) {
            return null;
        }
        String message = cause.getMessage();
        for (List<String> values : uri.getPathParameters().values()) {
            if (values.stream().anyMatch(v -> names(message, v))) {
                return null;
            }
        }
        Locale locale = Messages.locale(headers);
        for (Map.Entry<String, List<String>> p : uri.getQueryParameters().entrySet()) {
            if (p.getValue().stream().anyMatch(v -> names(message, v))) {
                return respond(400, "bad-parameter", locale, uri,
                        List.of(new Problem.Field(p.getKey(), fieldMessage(cause, locale))), p.getKey());
            }
        }
        return null;
    }

    /**
     * Whether a conversion failure is about this value, as the JDK's converters quote it: 'text'
     * (dates), "text" (numbers), or at the end ("No enum constant ….NOPE", "Invalid UUID string: x").
     */
    private static boolean names(String failure, String value) {
        return !value.isEmpty() && (failure.contains("'" + value + "'") || failure.contains("\"" + value + "\"")
                || failure.endsWith("." + value) || failure.endsWith(" " + value));
    }

    /** "No enum constant a.b.ItemStatus.NOPE" lists the allowed values; anything else is a wrong format. */
    private static String fieldMessage(Throwable cause, Locale locale) {
        if (cause instanceof DateParameters.OutOfRange) {
            return Messages.get(locale, "field.dateOutOfRange", OfficeDates.MIN.toString(), OfficeDates.MAX.toString());
        }
        String conversionFailure = cause.getMessage();
        String prefix = "No enum constant ";
        if (conversionFailure.startsWith(prefix)) {
            String type = conversionFailure.substring(prefix.length(), conversionFailure.lastIndexOf('.'));
            try {
                Object[] constants = Class.forName(type).getEnumConstants();
                if (constants != null) {
                    return Messages.get(locale, "field.enum", Stream.of(constants).map(String::valueOf)
                            .collect(Collectors.joining(", ")));
                }
            } catch (ClassNotFoundException ignored) {
                // fall through to the generic message
            }
        }
        return Messages.get(locale, "field.type");
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, HttpHeaders headers, UriInfo uri) {
        if (databaseUnreachable(e)) {
            // PostgreSQL restarting or failing over: the pool drops the dead connection (the exception
            // sorter) and validates the others; the client may simply try again.
            LOG.warnf("the database is unreachable: %s", rootCause(e).toString());
            return Response.fromResponse(respond(503, "database-unavailable", Messages.locale(headers), uri, List.of()))
                    .header(HttpHeaders.RETRY_AFTER, "5").build();
        }
        LOG.error("unexpected failure", e);
        return respond(500, "internal", Messages.locale(headers), uri, List.of());
    }

    /**
     * Whether the failure is the database being out of reach rather than a bug: somewhere in its
     * causes a SQLException of class 08 (connection exception), 57P01–57P03 (the server shutting down,
     * crashed, or not yet accepting connections), or the pool finding no connection in time.
     */
    static boolean databaseUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || state.startsWith("57P0"))) {
                    return true;
                }
                String message = String.valueOf(sql.getMessage());
                if (state == null && message.contains("Acquisition timeout")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static Response respond(int status, String code, Locale locale, UriInfo uri, List<Problem.Field> fields,
            Object... args) {
        String title = Messages.get(locale, "title." + code);
        if (title.equals("title." + code)) {
            title = Response.Status.fromStatusCode(status) != null
                    ? Response.Status.fromStatusCode(status).getReasonPhrase() : "Error";
        }
        String detail = Messages.get(locale, "detail." + code, args);
        if (detail.equals("detail." + code)) {
            detail = title;
        }
        Problem body = new Problem(Problem.TYPE_PREFIX + code, title, status, detail, instance(uri), code,
                new ArrayList<>(fields));
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(body)
                .header(HttpHeaders.CONTENT_LANGUAGE, locale.toLanguageTag()).build();
    }

    /**
     * The path the problem is about, decoded; as sent when JAX-RS cannot decode it (it decodes the
     * decoded path again, so `%25` followed by text throws): an answer must never fail on its own
     * `instance`.
     */
    private static String instance(UriInfo uri) {
        if (uri == null) {
            return null;
        }
        try {
            return uri.getPath();
        } catch (IllegalArgumentException undecodable) {
            try {
                return uri.getRequestUri().getRawPath();
            } catch (RuntimeException e) {
                return null;
            }
        }
    }

    /** `create.body.title` → `title`: drop the method and parameter nodes of the violation path. */
    private static String fieldName(ConstraintViolation<?> v) {
        List<String> names = new ArrayList<>();
        for (Path.Node node : v.getPropertyPath()) {
            switch (node.getKind()) {
                case METHOD, CONSTRUCTOR, RETURN_VALUE, CROSS_PARAMETER -> names.clear();
                case CONTAINER_ELEMENT -> {
                    // `assistUnits.<list element>[0]` reads better as `assistUnits[0]`.
                    if (!names.isEmpty() && node.getIndex() != null) {
                        names.set(names.size() - 1, names.get(names.size() - 1) + "[" + node.getIndex() + "]");
                    }
                }
                case PARAMETER -> {
                    names.clear();
                    names.add(node.getName());
                }
                default -> {
                    if (names.size() == 1 && isBodyParameter(names.get(0))) {
                        names.clear();
                    }
                    names.add(node.getIndex() != null ? node.getName() + "[" + node.getIndex() + "]" : node.getName());
                }
            }
        }
        return String.join(".", names);
    }

    private static boolean isBodyParameter(String name) {
        return "body".equals(name) || "request".equals(name);
    }
}
