package io.duban.notification.delivery;

/** There is nobody to send to (no address in the directory, the subscription switched off): SKIPPED, not retried. */
class NothingToSendException extends RuntimeException {

    NothingToSendException(String message) {
        super(message, null, false, false);
    }
}
