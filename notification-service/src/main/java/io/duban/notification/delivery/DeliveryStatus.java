package io.duban.notification.delivery;

/**
 * PENDING: waiting for its next attempt. SENT: the server, gateway or subscriber took it. FAILED: every
 * attempt failed; an admin may retry it. SKIPPED: nothing to send to (no address in the directory, the
 * subscription switched off).
 */
public enum DeliveryStatus {
    PENDING,
    SENT,
    FAILED,
    SKIPPED
}
