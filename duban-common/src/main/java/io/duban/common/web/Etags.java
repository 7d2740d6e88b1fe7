package io.duban.common.web;

import io.duban.common.problem.ProblemException;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Strong ETags from entity versions, and the If-Match / If-None-Match checks on them.
 *
 * <p>A representation that carries something computed at read time (a warning light depends on
 * today and on the working-day calendar) gets a tag of the version and that basis,
 * {@code "12.20419-7"}: it changes at midnight or after a calendar import although the row did not,
 * so If-None-Match never answers 304 with a stale light. If-Match only guards against lost updates,
 * so it compares the version part alone: {@code "12"} and {@code "12.<any basis>"} both match version 12.
 */
public final class Etags {

    private Etags() {
    }

    public static String of(long version) {
        return "\"" + version + "\"";
    }

    /** The tag of a representation computed from the version and a read-time basis. */
    public static String of(long version, String basis) {
        return "\"" + version + "." + basis + "\"";
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

    /**
     * A single resource's answer under its ETag: 304 (with the tag, no body) when If-None-Match names it,
     * else 200 with the body and the tag.
     */
    public static <T> RestResponse<T> answer(T body, String etag, String ifNoneMatch) {
        if (matches(ifNoneMatch, etag)) {
            return RestResponse.ResponseBuilder.<T>create(RestResponse.Status.NOT_MODIFIED)
                    .header(HttpHeaders.ETAG, etag).build();
        }
        return RestResponse.ResponseBuilder.ok(body).header(HttpHeaders.ETAG, etag).build();
    }

    /** A change that must name the version it was made on: no If-Match answers 428. */
    public static void requirePresent(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            throw new ProblemException(428, "precondition-required");
        }
    }

    /**
     * An If-Match that names another version answers 412; an absent one lets the change through.
     * Strong comparison: a weak tag never matches.
     */
    public static void requireMatch(String ifMatch, long version) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return;
        }
        String bare = Long.toString(version);
        for (String tag : ifMatch.split(",")) {
            String t = tag.strip();
            if (t.equals("*") || versionOf(t).equals(bare)) {
                return;
            }
        }
        throw new ProblemException(412, "precondition-failed", of(version));
    }

    /** `"12"` and `"12.basis"` → `12`; anything else (weak, unquoted) → "" which names no version. */
    private static String versionOf(String tag) {
        if (tag.length() < 3 || tag.charAt(0) != '"' || tag.charAt(tag.length() - 1) != '"') {
            return "";
        }
        String inner = tag.substring(1, tag.length() - 1);
        int dot = inner.indexOf('.');
        return dot < 0 ? inner : inner.substring(0, dot);
    }
}
