package io.duban.common.security;

import io.duban.common.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Resolves the {@link Caller} of the current request from its verified JWT. */
@ApplicationScoped
public class CurrentCaller {

    private final JsonWebToken jwt;

    public CurrentCaller(JsonWebToken jwt) {
        this.jwt = jwt;
    }

    public Caller get() {
        // TokenRules has refused a unit claim that is not a unit code, so it is text (or absent) here.
        Object claim = jwt.getClaim("unit");
        String unit = claim == null ? null : claim instanceof jakarta.json.JsonString js ? js.getString() : claim.toString();
        Caller caller = new Caller(jwt.getSubject(), jwt.getGroups(), unit == null || unit.isBlank() ? null : unit);
        if (caller.is(Role.HANDLER) && caller.unitScoped() && caller.unitCode() == null) {
            // A handler token without a unit could see nothing: say so rather than answer empty lists.
            throw ProblemException.forbidden();
        }
        return caller;
    }
}
