package io.duban.task.feed;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.duban.task.api.Views;
import io.duban.task.config.DubanConfig;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The first page of a unit's feed as sent, kept compressed so that the unit's other phones get it
 * without a query, a line of JSON or a byte compressed again. A unit's phones all read the same list;
 * after a change the first phone to poll builds the page and the rest share it.
 *
 * <p>A page is kept under the feed's ETag (the unit's change-log fingerprint, today and the calendar
 * revision, the status filter) and the page size: the same validator that lets a phone holding it
 * get 304 lets another phone get the page built for it. Any change to the unit's list moves the
 * fingerprint, so a kept page is never served after a change this instance has heard of, exactly as
 * 304 is never answered then. A kept page's {@code changeToken} was taken when it was built; a token
 * older than the request can only make the next delta repeat rows, never skip one, and pages are
 * dropped after {@code duban.feed.page-cache-ttl} so that tokens stay recent. Deltas and cursor pages
 * are never kept: they differ per phone.
 *
 * <p>{@code duban.feed.page-cache-mb} bounds the compressed bytes kept (0: build every page).
 */
@ApplicationScoped
public class FeedPages {

    /** A page as sent: its JSON, gzip-compressed, or as plain bytes for a client that did not ask for gzip. */
    public record Body(byte[] bytes, boolean gzip) {
    }

    private record Key(String unit, String etag, int limit) {
    }

    private final ObjectMapper json;
    private final Cache<Key, byte[]> pages;
    private final AtomicLong shared = new AtomicLong();
    private final AtomicLong built = new AtomicLong();

    @Inject
    public FeedPages(ObjectMapper json, DubanConfig config, MeterRegistry registry) {
        this(json, config.feed().pageCacheMb(), config.feed().pageCacheTtl());
        FunctionCounter.builder("duban.feed.pages", shared, AtomicLong::get).tag("result", "shared")
                .description("First pages of a unit's feed sent as kept for an earlier poll").register(registry);
        FunctionCounter.builder("duban.feed.pages", built, AtomicLong::get).tag("result", "built")
                .description("First pages of a unit's feed read and rendered for the poll").register(registry);
    }

    FeedPages(ObjectMapper json, int megabytes, Duration ttl) {
        this.json = json;
        this.pages = megabytes <= 0 ? null
                : Caffeine.newBuilder().maximumWeight(megabytes * 1024L * 1024L)
                        .<Key, byte[]> weigher((k, v) -> v.length + 64).expireAfterWrite(ttl)
                        // Evict on the writing thread: the bound holds when put returns.
                        .executor(Runnable::run).build();
    }

    /**
     * The first page of the unit's list (no {@code changedSince}, no {@code cursor}) for the feed's
     * current ETag: kept, or {@code read} and kept.
     */
    public Body firstPage(String unit, String etag, int limit, boolean gzip, Supplier<Views.AssignmentFeed> read) {
        Key key = new Key(unit, etag, limit);
        byte[] kept = pages == null ? null : pages.getIfPresent(key);
        if (kept != null) {
            shared.incrementAndGet();
            return gzip ? new Body(kept, true) : new Body(inflate(kept), false);
        }
        built.incrementAndGet();
        byte[] page;
        try {
            page = json.writeValueAsBytes(read.get());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (pages == null) {
            return new Body(page, false);
        }
        byte[] compressed = deflate(page);
        pages.put(key, compressed);
        return gzip ? new Body(compressed, true) : new Body(page, false);
    }

    private static byte[] deflate(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 4 + 64);
        try (GZIPOutputStream z = new GZIPOutputStream(out, 8192)) {
            z.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] inflate(byte[] compressed) {
        try (GZIPInputStream z = new GZIPInputStream(new ByteArrayInputStream(compressed), 8192)) {
            return z.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
