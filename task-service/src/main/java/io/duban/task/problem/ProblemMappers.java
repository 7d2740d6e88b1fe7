package io.duban.task.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.duban.task.domain.TransitionRefusedException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.persistence.OptimisticLockException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.hibernate.StaleStateException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where failures become RFC 9457 problem+json. Nothing here leaks a class name or a
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
    public Response transition(TransitionRefusedException e, HttpHeaders headers, UriInfo uri) {
        Locale locale = Messages.locale(headers);
        return respond(409, "state-conflict", locale, uri, List.of(),
                Messages.get(locale, "action." + e.action()), Messages.get(locale, "state." + e.state()));
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
        String message = Messages.get(locale, "field.type");
        if (e instanceof InvalidFormatException invalid && invalid.getTargetType() != null) {
            if (invalid.getTargetType().isEnum()) {
                message = Messages.get(locale, "field.enum", List.of(invalid.getTargetType().getEnumConstants())
                        .stream().map(String::valueOf).collect(Collectors.joining(", ")));
            } else if (invalid.getTargetType() == String.class) {
                message = Messages.get(locale, "field.controlChars");
            }
        }
        return respond(400, "malformed-json", locale, uri, List.of(new Problem.Field(field, message)));
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
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        return respond(status, "http-" + status, Messages.locale(headers), uri, List.of());
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, HttpHeaders headers, UriInfo uri) {
        LOG.error("unexpected failure", e);
        return respond(500, "internal", Messages.locale(headers), uri, List.of());
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
        Problem body = new Problem(Problem.TYPE_PREFIX + code, title, status, detail,
                uri != null ? uri.getPath() : null, code, new ArrayList<>(fields));
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(body)
                .header(HttpHeaders.CONTENT_LANGUAGE, locale.toLanguageTag()).build();
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
