package io.duban.notification.delivery;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

/**
 * Points the deliveries at the real servers a delivery test runs on loopback: GreenMail for SMTP and
 * one JDK HTTP server that answers as task-service's directory, as an SMS gateway and as webhook
 * subscribers ({@link DeliveryPeers}). It only picks the free ports: the test starts the servers on
 * them, so that the servers and what they received live in the test's own class loader.
 */
public class DeliveryPeersResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        int smtp = freePort();
        int http = freePort();
        String base = "http://127.0.0.1:" + http;
        return Map.ofEntries(
                Map.entry("duban.smtp.host", "127.0.0.1"),
                Map.entry("duban.smtp.port", Integer.toString(smtp)),
                Map.entry("duban.smtp.start-tls", "DISABLED"),
                Map.entry("duban.smtp.timeout", "5s"),
                Map.entry("duban.smtp.from", "督查督办系统 <duban@test.local>"),
                Map.entry("duban.delivery.directory.url", base),
                Map.entry("duban.delivery.directory.cache-ttl", "10m"),
                Map.entry("duban.delivery.sms.url", base + "/sms?to={to}"),
                Map.entry("duban.delivery.sms.body-template", "{\"mobile\":\"{to}\",\"content\":\"{text}\"}"),
                Map.entry("duban.delivery.sms.authorization", "Bearer sms-account-key"),
                Map.entry("duban.delivery.link-base-url", "https://duban.example.gov.cn/"),
                Map.entry("duban.delivery.max-attempts", "3"),
                Map.entry("duban.delivery.initial-backoff", "1m"),
                Map.entry("duban.delivery.max-backoff", "10m"),
                Map.entry("duban.delivery.http-timeout", "5s"));
    }

    @Override
    public void stop() {
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
