package io.duban.common.problem;

import java.util.List;

/**
 * A failure the client must hear about as RFC 9457 problem+json. `code` names the problem type
 * and the localized message (messages/*.properties); `args` fill its placeholders, and an argument
 * that is a {@link Messages.Key} is itself translated.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String code;
    private final transient Object[] args;
    private final transient List<FieldError> errors;

    public ProblemException(int status, String code, Object... args) {
        this(status, code, List.of(), args);
    }

    public ProblemException(int status, String code, List<FieldError> errors, Object... args) {
        super(code, null, false, false);
        this.status = status;
        this.code = code;
        this.args = args;
        this.errors = List.copyOf(errors);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Object[] args() {
        return args;
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** 404 for an unknown resource, or one the caller may not see; `what` is a message key ("item"). */
    public static ProblemException notFound(String what, Object id) {
        return new ProblemException(404, "not-found", new Messages.Key(what), String.valueOf(id));
    }

    public static ProblemException invalid(String field, String messageKey, Object... args) {
        return new ProblemException(422, "invalid-field", List.of(new FieldError(field, messageKey, args)));
    }

    public static ProblemException forbidden() {
        return new ProblemException(403, "forbidden");
    }

    public static ProblemException conflict(String messageKey, Object... args) {
        return new ProblemException(409, messageKey, args);
    }

    /** One field's complaint; `message` is a message key, resolved in the caller's language. */
    public record FieldError(String field, String message, Object... args) {
    }
}
