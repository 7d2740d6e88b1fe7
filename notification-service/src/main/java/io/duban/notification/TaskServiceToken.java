package io.duban.notification;

import io.duban.common.security.ServiceToken;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The token notification-service presents to task-service (directory, calendar): one it signs itself,
 * in the role {@code service}, with the key task-service trusts ({@code smallrye.jwt.sign.key.location},
 * {@code DUBAN_JWT_PRIVATE_KEY_LOCATION}). A caller configured with a token issued elsewhere uses that
 * instead ({@link #or(Optional)}).
 */
@ApplicationScoped
public class TaskServiceToken {

    private final ServiceToken token;

    public TaskServiceToken(
            @ConfigProperty(name = "smallrye.jwt.sign.key.location") Optional<String> signingKeyLocation,
            @ConfigProperty(name = "smallrye.jwt.new-token.issuer") String issuer) {
        this.token = new ServiceToken("notification-service", issuer, Optional.empty(), signingKeyLocation,
                Duration.ofMinutes(10));
    }

    /** The given token when there is one, else a signed one; empty when neither is configured. */
    public Optional<String> or(Optional<String> given) {
        Optional<String> configured = given.filter(t -> !t.isBlank());
        return configured.isPresent() ? configured : token.get();
    }
}
