package io.duban.notification.delivery;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Properties;

/**
 * E-mail through SMTP (duban.smtp.*): one plain-text UTF-8 message per address, over Jakarta Mail's
 * blocking SMTP client. The worker sends one delivery at a time, so one connection serves them in
 * turn and is kept open for duban.smtp.keep-alive.
 *
 * <p>Not quarkus-mailer: its Vert.x client (vertx-mail-client 4.5) attaches its reader to a new
 * connection only after the pool has handed the connection over, and drops whatever the server sent
 * before that. A server that greets at once (GreenMail on loopback, in CI and in DeliveryTest runs
 * here) lost its "220" greeting or its first bytes: the send waited for the server's idle timeout (30 s) and
 * failed, or failed on "20 … ready". A blocking client reads the greeting itself.
 */
@ApplicationScoped
class EmailSender {

    private final SmtpConfig config;
    private final Session session;
    private final InternetAddress from;
    private Transport open;
    private long lastUsedNanos;

    EmailSender(SmtpConfig config) {
        this.config = config;
        this.session = Session.getInstance(properties(config));
        this.from = sender(config.from());
    }

    synchronized void send(Delivery d) {
        MimeMessage message;
        try {
            message = new MimeMessage(session);
            message.setFrom(from);
            message.setRecipient(Message.RecipientType.TO, new InternetAddress(d.recipient, true));
            message.setSubject(d.subject, StandardCharsets.UTF_8.name());
            message.setText(d.body, StandardCharsets.UTF_8.name());
            message.setSentDate(new Date());
            message.saveChanges();
        } catch (MessagingException e) {
            // An address the directory gave that is no address: no attempt will do better, but the
            // worker's budget of attempts ends it visibly in the delivery log.
            throw new DeliveryFailedException("SMTP: " + Errors.describe(e), e);
        }
        try {
            Transport t = connection();
            t.sendMessage(message, message.getAllRecipients());
            lastUsedNanos = System.nanoTime();
        } catch (MessagingException | RuntimeException e) {
            discard();
            throw new DeliveryFailedException("SMTP: " + Errors.describe(e), e);
        }
    }

    /** The open connection if it is recent and answers a NOOP, else a new one. */
    private Transport connection() throws MessagingException {
        if (open != null) {
            boolean recent = System.nanoTime() - lastUsedNanos < config.keepAlive().toNanos();
            if (recent && open.isConnected()) {
                return open;
            }
            discard();
        }
        Transport t = session.getTransport(config.tls() ? "smtps" : "smtp");
        t.connect(config.host(), config.port(), config.username().orElse(null), config.password().orElse(null));
        open = t;
        return t;
    }

    @PreDestroy
    synchronized void discard() {
        if (open != null) {
            try {
                open.close();
            } catch (MessagingException | RuntimeException e) {
                // Closing a connection the server has dropped: nothing to keep.
            }
            open = null;
        }
    }

    private static Properties properties(SmtpConfig c) {
        String protocol = c.tls() ? "smtps" : "smtp";
        String p = "mail." + protocol + ".";
        String millis = Long.toString(c.timeout().toMillis());
        Properties props = new Properties();
        props.setProperty(p + "connectiontimeout", millis);
        props.setProperty(p + "timeout", millis);
        props.setProperty(p + "writetimeout", millis);
        props.setProperty(p + "auth", Boolean.toString(c.username().isPresent()));
        if (c.tls()) {
            props.setProperty(p + "ssl.checkserveridentity", "true");
        } else if (c.startTls() != SmtpConfig.StartTls.DISABLED) {
            props.setProperty(p + "starttls.enable", "true");
            props.setProperty(p + "starttls.required", Boolean.toString(c.startTls() == SmtpConfig.StartTls.REQUIRED));
            props.setProperty(p + "ssl.checkserveridentity", "true");
        }
        // Non-ASCII names and subjects as RFC 2047 UTF-8 words.
        props.setProperty("mail.mime.charset", StandardCharsets.UTF_8.name());
        return props;
    }

    private static InternetAddress sender(String from) {
        try {
            InternetAddress a = new InternetAddress(from, true);
            if (a.getPersonal() != null) {
                a.setPersonal(a.getPersonal(), StandardCharsets.UTF_8.name());
            }
            return a;
        } catch (AddressException | UnsupportedEncodingException e) {
            throw new IllegalArgumentException("duban.smtp.from is no e-mail address: " + from, e);
        }
    }
}
