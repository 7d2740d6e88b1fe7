package io.duban.common.events;

/**
 * A payload that is not an event of a contract version this code knows: an unknown type or schema
 * version, a required field missing, a value of the wrong type. The message names the field, for the
 * log of whoever has to fix the producer.
 */
public class EventFormatException extends IllegalArgumentException {

    public EventFormatException(String message) {
        super(message);
    }

    public EventFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
