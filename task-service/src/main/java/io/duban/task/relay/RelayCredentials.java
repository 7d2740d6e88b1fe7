package io.duban.task.relay;

import io.duban.common.security.ServiceToken;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * The bearer token the relay presents to notification-service (role {@code service}): the configured
 * token as it is, or one it signs itself with the configured private key ({@link ServiceToken}).
 */
@ApplicationScoped
public class RelayCredentials {

    private final ServiceToken token;

    public RelayCredentials(RelayConfig config) {
        this.token = new ServiceToken(config.tokenSubject(), config.tokenIssuer(), config.token(),
                config.signingKeyLocation(), config.tokenLifetime());
    }

    /** Whether the relay has a way to authenticate at all. */
    public boolean configured() {
        return token.configured();
    }

    /** The token for the next requests, or empty when none is configured. */
    public Optional<String> token() {
        return token.get();
    }
}
