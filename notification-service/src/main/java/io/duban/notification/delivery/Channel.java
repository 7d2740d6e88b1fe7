package io.duban.notification.delivery;

/** How a delivery travels. */
public enum Channel {
    EMAIL,
    SMS,
    WEBHOOK
}
