package io.duban.notification.delivery;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The SMTP server e-mail goes through (env DUBAN_SMTP_*). */
@ConfigMapping(prefix = "duban.smtp")
public interface SmtpConfig {

    @WithDefault("127.0.0.1")
    String host();

    @WithDefault("25")
    int port();

    /** The sender, as an address or as {@code 名称 <address>}. */
    @WithDefault("督查督办系统 <duban@localhost>")
    String from();

    /** No user name: the server takes mail without login. */
    Optional<String> username();

    Optional<String> password();

    /** TLS from the first byte (SMTPS, usually port 465). */
    @WithDefault("false")
    boolean tls();

    /** STARTTLS on a plain connection: used when the server offers it, required, or never. */
    @WithDefault("OPTIONAL")
    StartTls startTls();

    /** The longest wait to connect, and for each read and write of the SMTP dialogue. */
    @WithDefault("30s")
    Duration timeout();

    /**
     * An open connection is used again for the next message within this time, after a NOOP has shown
     * it alive; older ones are closed first (mail servers drop idle sessions after 30-300 s).
     * 0: a new connection for each message.
     */
    @WithDefault("20s")
    Duration keepAlive();

    enum StartTls {
        OPTIONAL, REQUIRED, DISABLED
    }
}
