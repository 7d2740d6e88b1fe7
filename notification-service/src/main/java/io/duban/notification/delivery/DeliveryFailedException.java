package io.duban.notification.delivery;

/** One attempt failed (an SMTP error, an HTTP status other than 2xx, a timeout): it is retried later. */
class DeliveryFailedException extends RuntimeException {

    DeliveryFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
