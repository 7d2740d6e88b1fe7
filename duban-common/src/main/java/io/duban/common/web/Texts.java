package io.duban.common.web;

/** What text Duban accepts anywhere (bodies, query and path parameters, token claims). */
public final class Texts {

    private Texts() {
    }

    /** An optional text as stored: stripped, and null when nothing but blanks was sent. */
    public static String strippedOrNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /**
     * Why the text cannot be accepted, as a message key, or null when it can: control characters other
     * than tab and line breaks, and lone UTF-16 surrogates (not a character at all).
     */
    public static String flaw(String s) {
        if (s == null) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
                return "field.controlChars";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "field.loneSurrogate";
            }
            if (Character.isLowSurrogate(c)) {
                return "field.loneSurrogate";
            }
        }
        return null;
    }

    /** A single-line value (a query or path parameter, a token claim): no control character at all. */
    public static String lineFlaw(String s) {
        if (s != null && (s.indexOf('\t') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0)) {
            return "field.controlChars";
        }
        return flaw(s);
    }
}
