package io.duban.notification;

/**
 * What this service is and how far it has been built, in words for the people who call it.
 *
 * @param service the service's name
 * @param status  what it offers today, in Chinese
 */
public record ServiceInfo(String service, String status) {
}
