package io.duban.task.support;

import io.smallrye.jwt.build.Jwt;
import java.util.Set;

/** Signed test tokens for each role, with the dev key pair the test profile trusts. */
public final class Tokens {

    private Tokens() {
    }

    public static String of(String username, String role, String unit) {
        var builder = Jwt.issuer("https://duban.local/issuer").subject(username).upn(username).groups(Set.of(role));
        if (unit != null) {
            builder.claim("unit", unit);
        }
        return builder.sign();
    }

    public static String admin() {
        return of("admin-t", "admin", null);
    }

    public static String supervisor() {
        return of("duchashi-t", "supervisor", "DCS");
    }

    public static String leader() {
        return of("leader-t", "leader", null);
    }

    public static String handler(String unit) {
        return of("handler-" + unit.toLowerCase(), "handler", unit);
    }
}
