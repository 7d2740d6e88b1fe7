package io.duban.notification.delivery;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import jakarta.enterprise.context.ApplicationScoped;

/** E-mail through SMTP (quarkus.mailer.*): one plain-text UTF-8 message per address. */
@ApplicationScoped
class EmailSender {

    private final Mailer mailer;

    EmailSender(Mailer mailer) {
        this.mailer = mailer;
    }

    void send(Delivery d) {
        try {
            mailer.send(Mail.withText(d.recipient, d.subject, d.body));
        } catch (RuntimeException e) {
            throw new DeliveryFailedException("SMTP: " + Errors.describe(e), e);
        }
    }
}
