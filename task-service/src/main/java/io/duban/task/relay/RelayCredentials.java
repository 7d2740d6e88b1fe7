package io.duban.task.relay;

import io.duban.common.security.Roles;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * The bearer token the relay presents to notification-service (role {@code service}): the configured
 * token as it is, or one it signs itself with the configured private key, valid for a few minutes and
 * renewed before it runs out. Token lifetimes are real time, not the office clock.
 */
@ApplicationScoped
public class RelayCredentials {

    private static final Duration RENEW_BEFORE = Duration.ofMinutes(1);

    private final RelayConfig config;
    private String signed;
    private Instant signedUntil = Instant.MIN;

    public RelayCredentials(RelayConfig config) {
        this.config = config;
    }

    /** Whether the relay has a way to authenticate at all. */
    public boolean configured() {
        return config.token().isPresent() || config.signingKeyLocation().isPresent();
    }

    /** The token for the next requests, or empty when none is configured. */
    public synchronized Optional<String> token() {
        if (config.token().isPresent()) {
            return config.token();
        }
        if (config.signingKeyLocation().isEmpty()) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        if (signed == null || now.isAfter(signedUntil.minus(RENEW_BEFORE))) {
            Instant expires = now.plus(config.tokenLifetime());
            signed = Jwt.issuer(config.tokenIssuer())
                    .subject(config.tokenSubject())
                    .upn(config.tokenSubject())
                    .groups(Set.of(Roles.SERVICE))
                    .issuedAt(now)
                    .expiresAt(expires)
                    .jws()
                    .sign(config.signingKeyLocation().get());
            signedUntil = expires;
        }
        return Optional.of(signed);
    }
}
