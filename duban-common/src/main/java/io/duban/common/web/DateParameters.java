package io.duban.common.web;

import io.duban.common.time.OfficeDates;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.time.LocalDate;

/** Date query parameters: ISO dates inside {@link OfficeDates}; anything else is a bad parameter (400). */
@Provider
public class DateParameters implements ParamConverterProvider {

    /** A date parameter outside the office's range; the problem mapper answers 400 naming the parameter. */
    public static final class OutOfRange extends IllegalArgumentException {
        OutOfRange(String value) {
            super("'" + value + "' is outside " + OfficeDates.MIN + " to " + OfficeDates.MAX);
        }
    }

    private static final ParamConverter<LocalDate> DATES = new ParamConverter<>() {
        @Override
        public LocalDate fromString(String value) {
            if (value == null) {
                return null;
            }
            // LocalDate.parse quotes the value in its message, which names the parameter in the answer.
            LocalDate date = LocalDate.parse(value);
            if (!OfficeDates.contains(date)) {
                throw new OutOfRange(value);
            }
            return date;
        }

        @Override
        public String toString(LocalDate value) {
            return value == null ? null : value.toString();
        }
    };

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        return rawType == LocalDate.class ? (ParamConverter<T>) DATES : null;
    }
}
