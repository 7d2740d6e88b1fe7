package io.duban.common.web;

import java.net.http.HttpClient;
import java.util.function.Supplier;

/**
 * A {@link HttpClient} built on first use, then shared. The first client a JVM builds loads the
 * default TLS context (the CA certificates and security providers): about 0.3 s of CPU, which a
 * bean created at start-up would otherwise add to the time before the service answers
 * (bench/results.md, "Start-up"). Thread-safe; the builder runs at most once.
 */
public final class LazyHttpClient implements Supplier<HttpClient> {

    private final Supplier<HttpClient> build;
    private volatile HttpClient client;

    public LazyHttpClient(Supplier<HttpClient> build) {
        this.build = build;
    }

    @Override
    public HttpClient get() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    c = build.get();
                    client = c;
                }
            }
        }
        return c;
    }
}
