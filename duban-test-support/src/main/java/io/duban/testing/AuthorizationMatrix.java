package io.duban.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Who may call what, one entry per operation of the service's OpenAPI document, checked by calling
 * every operation without a token, as every role, as a token with no Duban role, and (for an
 * operation on one unit's data) as the handler of another unit, with real ids:
 * <ul>
 * <li>no token: 401 problem+json with {@code WWW-Authenticate: Bearer}, unless the operation is public;</li>
 * <li>a role the entry does not allow, or no Duban role at all: 403 problem+json;</li>
 * <li>the handler of another unit, where the entry is unit-scoped: 404 problem+json, as for an id
 * that does not exist;</li>
 * <li>none of these refusals changes a row of the service's tables;</li>
 * <li>a role the entry allows (a handler of the unit that owns the data): gets through, that is
 * neither 401, 403 nor 404 and never 5xx; a body that the state does not allow (400, 409, 422) is fine,
 * if it is problem+json.</li>
 * </ul>
 * An operation in the document without an entry, or an entry without an operation, fails the check:
 * a new endpoint is not covered until someone says who may call it.
 */
public final class AuthorizationMatrix {

    /** A token with no Duban role: signed by the trusted key, refused by every secured operation. */
    public static final String NO_DUBAN_ROLE = "guest";

    /** Prepares a fresh call with real data; called again before every call that may change state. */
    @FunctionalInterface
    public interface Setup {
        ApiCall prepare();
    }

    /**
     * One operation: `open` ones need no token; otherwise `roles` may call it, and when `unitScoped`
     * a handler gets through only on its own unit's data.
     */
    public record Entry(String operation, boolean open, Set<String> roles, boolean unitScoped, Setup setup) {

        public String method() {
            return operation.substring(0, operation.indexOf(' '));
        }

        public String path() {
            return operation.substring(operation.indexOf(' ') + 1);
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private Supplier<String> otherUnit = () -> "OTHER";
    private String otherUnitCode;

    private AuthorizationMatrix() {
    }

    public static AuthorizationMatrix create() {
        return new AuthorizationMatrix();
    }

    /** The entries of what every service serves through duban-common: service-info and the caller. */
    public static AuthorizationMatrix withSharedEndpoints() {
        return create()
                .open("GET /api/v1/service-info", ApiCall::call)
                .allow("GET /api/v1/caller", DevTokens.ROLES, ApiCall::call);
    }

    /** An operation anybody may call, without a token. */
    public AuthorizationMatrix open(String operation, Setup setup) {
        return add(new Entry(operation, true, Set.copyOf(DevTokens.ROLES), false, setup));
    }

    /** An operation these roles may call, whatever the unit of a handler among them. */
    public AuthorizationMatrix allow(String operation, Collection<String> roles, Setup setup) {
        return add(new Entry(operation, false, Set.copyOf(roles), false, setup));
    }

    /**
     * An operation on one unit's data (the setup names the unit with {@link ApiCall#ownedBy}): these
     * roles may call it, a handler only for its own unit; the handler of another unit gets 404.
     */
    public AuthorizationMatrix unitScoped(String operation, Collection<String> roles, Setup setup) {
        if (!roles.contains("handler")) {
            throw new IllegalArgumentException(operation + ": only an operation that handlers may call is unit-scoped");
        }
        return add(new Entry(operation, false, Set.copyOf(roles), true, setup));
    }

    /**
     * The unit whose handler plays "another unit": a real one, so that only the scoping refuses it.
     * Asked for once, before the first row count.
     */
    public AuthorizationMatrix otherUnit(Supplier<String> unit) {
        this.otherUnit = unit;
        this.otherUnitCode = null;
        return this;
    }

    /** The matrix without one entry (to show that a missing entry is caught). */
    public AuthorizationMatrix without(String operation) {
        AuthorizationMatrix copy = new AuthorizationMatrix();
        copy.entries.putAll(entries);
        copy.entries.remove(operation);
        copy.otherUnit = otherUnit;
        return copy;
    }

    private AuthorizationMatrix add(Entry e) {
        if (!e.operation().matches("(GET|PUT|POST|PATCH|DELETE|HEAD|OPTIONS) /\\S*")) {
            throw new IllegalArgumentException("an operation is `METHOD /path`: " + e.operation());
        }
        for (String role : e.roles()) {
            if (!DevTokens.ROLES.contains(role)) {
                throw new IllegalArgumentException(e.operation() + ": no such role " + role);
            }
        }
        if (entries.putIfAbsent(e.operation(), e) != null) {
            throw new IllegalArgumentException(e.operation() + " is declared twice");
        }
        return this;
    }

    public Entry entry(String operation) {
        return entries.get(operation);
    }

    public String otherUnit() {
        if (otherUnitCode == null) {
            otherUnitCode = otherUnit.get();
        }
        return otherUnitCode;
    }

    /** A token for the role that may act on the call's data (a handler of the unit that owns it). */
    public String tokenFor(String role, ApiCall call) {
        return DevTokens.forRole(role, call.unit() != null ? call.unit() : otherUnit());
    }

    /**
     * What does not match between the matrix and the document: operations without an entry, entries
     * without an operation, and an entry whose openness or 401/403/404 answers the document does not
     * declare. Empty when they agree.
     */
    public List<String> disagreementsWith(OpenApiDocument doc) {
        List<String> out = new ArrayList<>();
        Set<String> documented = new TreeSet<>();
        for (OpenApiDocument.Operation op : doc.operations()) {
            documented.add(op.key());
            Entry e = entries.get(op.key());
            if (e == null) {
                out.add(op.key() + " is in the OpenAPI document but not in the authorization matrix: say who may call it");
                continue;
            }
            if (e.open() == op.secured()) {
                out.add(op.key() + (e.open() ? " is open in the matrix but the document requires a token"
                        : " needs a token in the matrix but the document declares no security requirement"));
            }
            if (!e.open() && !(op.declaresResponse(401) && op.declaresResponse(403))) {
                out.add(op.key() + ": the document does not declare its 401 and 403 answers");
            }
            if (e.unitScoped() && !op.declaresResponse(404)) {
                out.add(op.key() + ": unit-scoped, but the document does not declare 404");
            }
        }
        for (String op : entries.keySet()) {
            if (!documented.contains(op)) {
                out.add(op + " is in the authorization matrix but not in the OpenAPI document");
            }
        }
        return out;
    }

    /** Calls every operation as the matrix says and fails with every deviation found. */
    public void verify(OpenApiDocument doc, RowFingerprint rows) {
        List<String> failures = new ArrayList<>(disagreementsWith(doc));
        RawHttp http = RawHttp.service();
        // Made now, if the setup makes it, so that no row check below sees it appear.
        otherUnit();
        for (OpenApiDocument.Operation op : doc.operations()) {
            Entry e = entries.get(op.key());
            if (e != null) {
                verify(op, e, http, rows, failures);
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("The authorization matrix does not hold (" + failures.size() + "):\n  "
                    + String.join("\n  ", failures));
        }
    }

    private void verify(OpenApiDocument.Operation op, Entry e, RawHttp http, RowFingerprint rows, List<String> failures) {
        ApiCall call = e.setup().prepare();
        RowFingerprint.Snapshot before = rows.take();
        Set<String> refused = new LinkedHashSet<>();

        RawHttp.Response anonymous = send(http, op, call, null);
        if (e.open()) {
            expectThrough(op, "without a token", anonymous, failures);
        } else {
            expectRefusal(op, "without a token", anonymous, 401, failures);
            if (anonymous.status() == 401 && !anonymous.header("WWW-Authenticate").orElse("").startsWith("Bearer")) {
                failures.add(op.key() + " without a token: 401 without `WWW-Authenticate: Bearer`");
            }
            refused.add("no token");
            expectRefusal(op, "with no Duban role", send(http, op, call, DevTokens.token("guest-t", NO_DUBAN_ROLE, null)),
                    403, failures);
            refused.add(NO_DUBAN_ROLE);
            for (String role : DevTokens.ROLES) {
                if (!e.roles().contains(role)) {
                    expectRefusal(op, "as " + role, send(http, op, call, tokenFor(role, call)), 403, failures);
                    refused.add(role);
                }
            }
            if (e.unitScoped()) {
                if (call.unit() == null) {
                    failures.add(op.key() + ": unit-scoped, but its setup names no unit (ApiCall.ownedBy)");
                } else {
                    String other = otherUnit();
                    expectRefusal(op, "as the handler of another unit (" + other + ")",
                            send(http, op, call, DevTokens.handler(other)), 404, failures);
                    refused.add("another unit's handler");
                }
            }
        }
        List<String> changed = rows.take().changesSince(before);
        if (!changed.isEmpty()) {
            failures.add(op.key() + ": refused calls (" + String.join(", ", refused) + ") changed rows: " + changed);
        }

        boolean safe = op.method().equals("GET");
        for (String role : DevTokens.ROLES) {
            if (e.roles().contains(role)) {
                ApiCall fresh = safe ? call : e.setup().prepare();
                String who = "as " + role + (role.equals("handler") && fresh.unit() != null ? " of " + fresh.unit() : "");
                expectThrough(op, who, send(http, op, fresh, tokenFor(role, fresh)), failures);
            }
        }
    }

    private static void expectRefusal(OpenApiDocument.Operation op, String who, RawHttp.Response r, int status,
            List<String> failures) {
        if (r.status() != status) {
            failures.add(op.key() + " " + who + ": " + r.status() + ", expected " + status + answer(r));
            return;
        }
        String flaw = ProblemJson.flaw(r);
        if (flaw != null) {
            failures.add(op.key() + " " + who + ": " + status + " but " + flaw);
        }
    }

    private static void expectThrough(OpenApiDocument.Operation op, String who, RawHttp.Response r, List<String> failures) {
        int s = r.status();
        if (s == 401 || s == 403 || s == 404 || s >= 500) {
            failures.add(op.key() + " " + who + ": " + s + ", expected to get through" + answer(r));
        } else if (s >= 400 && ProblemJson.flaw(r) != null) {
            failures.add(op.key() + " " + who + ": " + s + " but " + ProblemJson.flaw(r));
        }
    }

    private static String answer(RawHttp.Response r) {
        return r.body().length == 0 ? "" : " — " + RawHttp.abbreviate(r.text(), 300);
    }

    static RawHttp.Response send(RawHttp http, OpenApiDocument.Operation op, ApiCall call, String token) {
        Map<String, String> headers = new LinkedHashMap<>(call.headers());
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        byte[] body = null;
        if (call.json() != null) {
            headers.putIfAbsent("Content-Type", "application/json");
            body = call.json().getBytes(StandardCharsets.UTF_8);
        }
        return http.send(op.method(), call.target(op.path()), headers, body);
    }
}
