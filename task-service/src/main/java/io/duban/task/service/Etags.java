package io.duban.task.service;

import io.duban.task.problem.ProblemException;

/** Strong ETags from entity versions, and the If-Match / If-None-Match checks on them. */
public final class Etags {

    private Etags() {
    }

    public static String of(long version) {
        return "\"" + version + "\"";
    }

    /** True when an If-None-Match header names the current version (or `*`). */
    public static boolean matches(String header, long version) {
        return matches(header, of(version));
    }

    /** True when an If-None-Match header names the current ETag (or `*`); weak tags compare weakly. */
    public static boolean matches(String header, String current) {
        if (header == null || header.isBlank()) {
            return false;
        }
        for (String tag : header.split(",")) {
            String t = tag.strip();
            if (t.equals("*") || t.equals(current) || t.equals("W/" + current)) {
                return true;
            }
        }
        return false;
    }

    /** An If-Match that names another version answers 412; an absent one lets the change through. */
    public static void requireMatch(String ifMatch, long version) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return;
        }
        String current = of(version);
        for (String tag : ifMatch.split(",")) {
            String t = tag.strip();
            // If-Match uses the strong comparison: a weak tag never matches.
            if (t.equals("*") || t.equals(current)) {
                return;
            }
        }
        throw new ProblemException(412, "precondition-failed", current);
    }
}
