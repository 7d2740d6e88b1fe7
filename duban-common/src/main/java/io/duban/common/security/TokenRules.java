package io.duban.common.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * What a validly signed token must also be before Duban acts on it: a subject that can be written
 * down as the actor (1–64 characters, no control characters), a unit claim that is a unit code if
 * there is one, and an issue time not in the future beyond the allowed clock skew. Anything else is
 * 401, at authentication, whatever the endpoint: a token is refused the same everywhere.
 */
@ApplicationScoped
public class TokenRules implements SecurityIdentityAugmentor {

    /** Usernames as the directory allows them (PersonRequest) and the timeline stores them (64). */
    static final Pattern SUBJECT = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    /** Unit codes as the directory allows them (UnitRequest). */
    static final Pattern UNIT = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");

    /** `duban.security.*` */
    @ConfigMapping(prefix = "duban.security")
    public interface Config {
        /** How far a token's `iat` may lie ahead of this server's clock. */
        @WithDefault("PT60S")
        Duration clockSkew();

        /** How many verified tokens {@link VerifiedTokens} keeps (0: verify the signature on every request). */
        @WithDefault("4096")
        int tokenCacheSize();

        /** How long at most a verified token is served without checking its signature again. */
        @WithDefault("PT5M")
        Duration tokenCacheTtl();
    }

    private final Duration skew;

    public TokenRules(Config config) {
        this.skew = config.clockSkew();
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (!identity.isAnonymous() && identity.getPrincipal() instanceof JsonWebToken jwt) {
            String refusal = refusal(jwt);
            if (refusal != null) {
                return Uni.createFrom().failure(new AuthenticationFailedException(refusal));
            }
        }
        return Uni.createFrom().item(identity);
    }

    /** Why the token is refused, or null. */
    String refusal(JsonWebToken jwt) {
        String subject = jwt.getSubject();
        if (subject == null || !SUBJECT.matcher(subject).matches()) {
            return "the subject is missing or not a username";
        }
        if (jwt.containsClaim("unit")) {
            Object unit = jwt.getClaim("unit");
            String code = unit instanceof String s ? s
                    : unit instanceof jakarta.json.JsonString js ? js.getString() : null;
            if (code == null || (!code.isEmpty() && !UNIT.matcher(code).matches())) {
                return "the unit claim is not a unit code";
            }
        }
        long issuedAt = jwt.getIssuedAtTime();
        // Wall time, like the expiry check: the office clock is business time, which tests move.
        if (issuedAt > Instant.now().plus(skew).getEpochSecond()) {
            return "the token is issued in the future";
        }
        return null;
    }
}
