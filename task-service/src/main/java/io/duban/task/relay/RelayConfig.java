package io.duban.task.relay;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The outbox relay (`duban.relay.*`): where events go, how often and how hard it tries, how long
 * delivered rows are kept, and how it proves to notification-service that it is a service.
 */
@ConfigMapping(prefix = "duban.relay")
public interface RelayConfig {

    /** Off: the scheduler leaves the outbox alone (rows wait, nothing is lost). */
    @WithDefault("true")
    boolean enabled();

    /** notification-service's base URL; events go to {@code <url>/api/v1/events}. */
    @WithDefault("http://127.0.0.1:8082")
    URI notificationUrl();

    /**
     * How long the relay's loop waits for work after a tick that found nothing to send (or failed): the
     * longest an event written by another instance waits. An event written by this instance wakes the
     * loop when its transaction commits.
     */
    @WithDefault("PT0.25S")
    Duration interval();

    /**
     * At most this many items' first waiting rows are claimed per round, and with batch intake at most
     * this many of the rows that follow them in their items.
     */
    @WithDefault("100")
    int batchSize();

    /**
     * Sends a round's rows as batches to {@code <url>/api/v1/events/batch} (one request and one
     * transaction at the receiver for each, an item's rows together and in order; see
     * batch-parallelism); a batch not answered 2xx has each item's first row sent alone to
     * {@code /api/v1/events} and the rest wait, so that a row the receiver refuses holds back only its
     * own item. Off: one request per item's first row.
     */
    @WithDefault("true")
    boolean batchIntake();

    /**
     * A round's rows go as up to this many batches at once (each applied in a transaction of its own
     * at the receiver), so that one batch's database round trips wait while another's run.
     */
    @WithDefault("4")
    int batchParallelism();

    /** A tick stops after this many attempts, so that one tick never runs for long. */
    @WithDefault("5000")
    int maxPerTick();

    /** How long one delivery may take before it counts as failed. */
    @WithDefault("PT10S")
    Duration requestTimeout();

    /** The wait after the first failure of a row; it doubles with each further failure. */
    @WithDefault("PT1S")
    Duration initialBackoff();

    /** The longest wait between two attempts of one row. */
    @WithDefault("PT5M")
    Duration maxBackoff();

    /** Delivered rows older than this are purged. */
    @WithDefault("P7D")
    Duration retention();

    /** A bearer token to send as it is (a service token issued elsewhere); wins over signing. */
    Optional<String> token();

    /**
     * A private key (PEM, PKCS#8) to sign short-lived service tokens with: a file path or a class path
     * resource. The key pair's public half must be one notification-service trusts.
     */
    Optional<String> signingKeyLocation();

    /** The `iss` of the tokens the relay signs; the issuer notification-service expects. */
    @WithDefault("${mp.jwt.verify.issuer}")
    String tokenIssuer();

    /** The `sub` of the tokens the relay signs. */
    @WithDefault("task-service")
    String tokenSubject();

    /** How long a signed token is valid; a new one is signed a minute before it runs out. */
    @WithDefault("PT5M")
    Duration tokenLifetime();
}
