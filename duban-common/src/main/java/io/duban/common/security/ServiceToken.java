package io.duban.common.security;

import io.smallrye.jwt.build.Jwt;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * The bearer token one Duban service presents to another in the role {@code service}: a token issued
 * elsewhere, as it is, or one the service signs itself with its private key (PEM, PKCS#8; a file path
 * or a class path resource), valid for a few minutes and signed anew a minute before it runs out.
 * Lifetimes are real time, not the office clock: the receiver checks them against its own clock.
 * task-service's outbox relay and notification-service's calls to task-service (directory, calendar)
 * use it.
 */
public final class ServiceToken {

    private static final Duration RENEW_BEFORE = Duration.ofMinutes(1);

    private final String subject;
    private final String issuer;
    private final Optional<String> given;
    private final Optional<String> signingKeyLocation;
    private final Duration lifetime;
    private String signed;
    private Instant signedUntil = Instant.MIN;

    /**
     * @param subject the calling service's name, the token's {@code sub} and {@code upn}
     * @param issuer the {@code iss} the receiver expects
     * @param given a token issued elsewhere; used as it is and wins over signing
     * @param signingKeyLocation the private key to sign with
     * @param lifetime how long a signed token is valid (more than a minute)
     */
    public ServiceToken(String subject, String issuer, Optional<String> given, Optional<String> signingKeyLocation,
            Duration lifetime) {
        if (lifetime.compareTo(RENEW_BEFORE) <= 0) {
            throw new IllegalArgumentException("a service token must live longer than " + RENEW_BEFORE);
        }
        this.subject = subject;
        this.issuer = issuer;
        this.given = given.filter(t -> !t.isBlank());
        this.signingKeyLocation = signingKeyLocation.filter(k -> !k.isBlank());
        this.lifetime = lifetime;
    }

    /** Whether there is a way to authenticate at all. */
    public boolean configured() {
        return given.isPresent() || signingKeyLocation.isPresent();
    }

    /** The token for the next requests, or empty when neither a token nor a key is configured. */
    public synchronized Optional<String> get() {
        if (given.isPresent()) {
            return given;
        }
        if (signingKeyLocation.isEmpty()) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        if (signed == null || now.isAfter(signedUntil.minus(RENEW_BEFORE))) {
            Instant expires = now.plus(lifetime);
            signed = Jwt.issuer(issuer)
                    .subject(subject)
                    .upn(subject)
                    .groups(Set.of(Roles.SERVICE))
                    .issuedAt(now)
                    .expiresAt(expires)
                    .jws()
                    .sign(signingKeyLocation.get());
            signedUntil = expires;
        }
        return Optional.of(signed);
    }
}
