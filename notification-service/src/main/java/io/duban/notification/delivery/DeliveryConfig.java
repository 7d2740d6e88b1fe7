package io.duban.notification.delivery;

import io.duban.common.time.Backoff;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Deliveries: the worker, the retry policy, e-mail, the SMS gateway, webhooks and the directory they
 * look addresses up in. The SMTP server itself is {@link SmtpConfig}.
 */
@ConfigMapping(prefix = "duban.delivery")
public interface DeliveryConfig {

    /** How often the worker looks for due deliveries (a quarkus-scheduler interval such as 10s). */
    @WithDefault("10s")
    String tickEvery();

    /** At most this many deliveries per tick, each in its own short transaction. */
    @WithDefault("100")
    int batchSize();

    /** Attempts before a delivery is FAILED (and waits for an admin's retry). */
    @WithDefault("6")
    int maxAttempts();

    /** The wait after the first failed attempt; it doubles with each further one. */
    @WithDefault("1m")
    Duration initialBackoff();

    /** The longest wait between two attempts. */
    @WithDefault("1h")
    Duration maxBackoff();

    /** Up to this fraction of the wait is added at random, so that retries do not come in bursts. */
    @WithDefault("0.2")
    double jitter();

    /** The wait rule these three settings make (not itself a setting). */
    default Backoff backoff() {
        return new Backoff(initialBackoff(), maxBackoff(), jitter());
    }

    /** Where a notice's link points: the item is {base}/api/v1/tasks/{itemId}. */
    @WithDefault("http://localhost:8081")
    String linkBaseUrl();

    /** Timeout of one HTTP call (SMS gateway, webhook, directory). */
    @WithDefault("10s")
    Duration httpTimeout();

    Email email();

    Sms sms();

    Directory directory();

    interface Email {
        /** Whether notices are copied by e-mail at all. */
        @WithDefault("true")
        boolean enabled();
    }

    /**
     * The SMS gateway: an HTTP request to {@link #url()} with {@link #bodyTemplate()} as its body.
     * In both, {to} is the phone number and {text} the message, escaped for the content type (JSON
     * string, form encoding) or, in the URL, percent-encoded. No url: no SMS.
     */
    interface Sms {
        Optional<String> url();

        @WithDefault("POST")
        String method();

        @WithDefault("application/json")
        String contentType();

        @WithDefault("{\"to\":\"{to}\",\"text\":\"{text}\"}")
        String bodyTemplate();

        /** Sent as the Authorization header when set (e.g. "Bearer …" of the gateway account). */
        Optional<String> authorization();
    }

    /** task-service's directory (units, people), read over REST as the service role and cached. */
    interface Directory {
        @WithDefault("http://127.0.0.1:8081")
        URI url();

        /**
         * A bearer token of the service role. Without one the service signs its own short-lived
         * token with smallrye.jwt.sign.key.location (the key task-service trusts).
         */
        Optional<String> token();

        /** How long a unit's contacts are kept before they are asked for again. */
        @WithDefault("10m")
        Duration cacheTtl();
    }
}
