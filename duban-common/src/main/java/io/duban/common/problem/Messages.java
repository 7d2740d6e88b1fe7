package io.duban.common.problem;

import jakarta.ws.rs.core.HttpHeaders;
import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * What people read: Chinese by default, English when the request asks for it. A message is looked
 * up in the service's own catalogue ({@code messages/problems*.properties}) first, then in the one
 * every service shares ({@code messages/common*.properties}, in this module).
 */
public final class Messages {

    static final String SERVICE_BUNDLE = "messages.problems";
    static final String COMMON_BUNDLE = "messages.common";

    private Messages() {
    }

    /** An argument that is itself a message key ("item" → 督办事项), resolved in the reader's language. */
    public record Key(String key) {
    }

    /**
     * The reader's language from Accept-Language: English when the first language it names that we
     * have is English, Chinese otherwise. A header JAX-RS cannot parse (`en;q=abc`) is read leniently,
     * in the order written: it is the client's mistake, and the answer explaining some other refusal
     * must still be given, not replaced by a failure of the error mapper itself.
     */
    public static Locale locale(HttpHeaders headers) {
        if (headers == null) {
            return Locale.SIMPLIFIED_CHINESE;
        }
        List<Locale> acceptable;
        try {
            acceptable = headers.getAcceptableLanguages();
        } catch (RuntimeException malformed) {
            return locale(headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE));
        }
        for (Locale l : acceptable) {
            Locale ours = ours(l.getLanguage());
            if (ours != null) {
                return ours;
            }
        }
        return Locale.SIMPLIFIED_CHINESE;
    }

    /** The language of a raw Accept-Language value, weights ignored: the first of ours it names. */
    static Locale locale(String acceptLanguage) {
        if (acceptLanguage != null) {
            for (String range : acceptLanguage.split(",")) {
                int semicolon = range.indexOf(';');
                String tag = (semicolon < 0 ? range : range.substring(0, semicolon)).strip();
                Locale ours = ours(Locale.forLanguageTag(tag).getLanguage());
                if (ours != null) {
                    return ours;
                }
            }
        }
        return Locale.SIMPLIFIED_CHINESE;
    }

    private static Locale ours(String language) {
        return "en".equals(language) ? Locale.ENGLISH : "zh".equals(language) ? Locale.SIMPLIFIED_CHINESE : null;
    }

    /** The message for the key with its arguments filled in; the key itself when no catalogue has it. */
    public static String get(Locale locale, String key, Object... args) {
        String pattern = lookup(SERVICE_BUNDLE, locale, key);
        if (pattern == null) {
            pattern = lookup(COMMON_BUNDLE, locale, key);
        }
        if (pattern == null) {
            return key;
        }
        if (args.length == 0) {
            return pattern;
        }
        Object[] resolved = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            resolved[i] = args[i] instanceof Key k ? get(locale, k.key()) : args[i];
        }
        return new MessageFormat(pattern, locale).format(resolved);
    }

    /** Whether a catalogue (the service's or the shared one) has the key, in the default language. */
    public static boolean has(String key) {
        return lookup(SERVICE_BUNDLE, Locale.ROOT, key) != null || lookup(COMMON_BUNDLE, Locale.ROOT, key) != null;
    }

    private static String lookup(String bundleName, Locale locale, String key) {
        try {
            ResourceBundle bundle = ResourceBundle.getBundle(bundleName, locale,
                    ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
            return bundle.containsKey(key) ? bundle.getString(key) : null;
        } catch (MissingResourceException e) {
            return null;
        }
    }
}
