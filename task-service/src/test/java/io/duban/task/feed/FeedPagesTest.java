package io.duban.task.feed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.duban.task.api.Views;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The kept first pages: under what they are kept, how they are sent, and what bounds them. */
class FeedPagesTest {

    private final ObjectMapper json = new ObjectMapper();
    private final AtomicInteger reads = new AtomicInteger();

    /** A feed whose token names the read that built it, so that a shared page can be told from a new one. */
    private Supplier<Views.AssignmentFeed> read(String marker) {
        return () -> new Views.AssignmentFeed(marker + "-" + reads.incrementAndGet(), true, List.of(), List.of(), null);
    }

    private static String inflate(byte[] gz) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aPageIsBuiltOnceForItsUnitEtagAndSizeAndSentCompressedOrPlainAlike() {
        FeedPages pages = new FeedPages(json, 1, Duration.ofMinutes(5));
        FeedPages.Body first = pages.firstPage("U1", "\"3.7.a\"", 500, true, read("u1"));
        assertTrue(first.gzip());
        String page = inflate(first.bytes());
        assertTrue(page.contains("\"changeToken\":\"u1-1\""), page);

        FeedPages.Body again = pages.firstPage("U1", "\"3.7.a\"", 500, true, read("u1"));
        assertArrayEquals(first.bytes(), again.bytes(), "the unit's next phone gets the same bytes");
        FeedPages.Body plain = pages.firstPage("U1", "\"3.7.a\"", 500, false, read("u1"));
        assertFalse(plain.gzip());
        assertEquals(page, new String(plain.bytes(), java.nio.charset.StandardCharsets.UTF_8),
                "a client without gzip gets the same page, inflated");
        assertEquals(1, reads.get(), "one read served three polls");

        // Another unit with the same fingerprint (two empty units both have "0.0"), another
        // fingerprint of the same unit, and another page size are other pages.
        assertTrue(inflate(pages.firstPage("U2", "\"3.7.a\"", 500, true, read("u2")).bytes()).contains("u2-2"));
        assertTrue(inflate(pages.firstPage("U1", "\"4.9.a\"", 500, true, read("u1")).bytes()).contains("u1-3"));
        assertTrue(inflate(pages.firstPage("U1", "\"4.9.a\"", 200, true, read("u1")).bytes()).contains("u1-4"));
        assertEquals(4, reads.get());
    }

    @Test
    void aBuiltPageGoesToAPlainClientUncompressedAndIsKeptForTheNext() {
        FeedPages pages = new FeedPages(json, 1, Duration.ofMinutes(5));
        FeedPages.Body plain = pages.firstPage("U1", "\"1.1.a\"", 500, false, read("p"));
        assertFalse(plain.gzip());
        String page = new String(plain.bytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(page.startsWith("{\"changeToken\":\"p-1\""), page);
        FeedPages.Body gzip = pages.firstPage("U1", "\"1.1.a\"", 500, true, read("p"));
        assertEquals(page, inflate(gzip.bytes()));
        assertEquals(1, reads.get());
    }

    @Test
    void withNoRoomEveryPollBuildsItsPageAndNothingIsCompressedHere() {
        FeedPages pages = new FeedPages(json, 0, Duration.ofMinutes(5));
        FeedPages.Body a = pages.firstPage("U1", "\"1.1.a\"", 500, true, read("x"));
        FeedPages.Body b = pages.firstPage("U1", "\"1.1.a\"", 500, true, read("x"));
        assertFalse(a.gzip(), "left to the HTTP layer, which compresses for the client");
        assertTrue(new String(b.bytes(), java.nio.charset.StandardCharsets.UTF_8).contains("x-2"));
        assertEquals(2, reads.get());
    }

    @Test
    void theKeptBytesStayWithinTheirBound() {
        FeedPages pages = new FeedPages(json, 1, Duration.ofMinutes(5));
        // Pages of random text that compress to ~90 KB each: a MiB holds about eleven of them.
        java.util.Random random = new java.util.Random(7);
        List<String> units = new ArrayList<>();
        int smallest = Integer.MAX_VALUE;
        for (int u = 0; u < 40; u++) {
            String unit = "U" + u;
            units.add(unit);
            StringBuilder title = new StringBuilder();
            for (int i = 0; i < 150_000; i++) {
                title.append((char) ('a' + random.nextInt(26)));
            }
            FeedPages.Body built = pages.firstPage(unit, "\"1\"", 500, true,
                    () -> new Views.AssignmentFeed(title.toString(), true, List.of(), List.of(), null));
            smallest = Math.min(smallest, built.bytes().length);
        }
        int room = (1 << 20) / smallest;
        int before = reads.get();
        for (String unit : units) {
            pages.firstPage(unit, "\"1\"", 500, true, read(unit));
        }
        int kept = units.size() - (reads.get() - before);
        assertTrue(room < units.size() / 2, "the test's pages outgrow the bound: room for " + room);
        assertTrue(kept <= room, kept + " pages of at least " + smallest + " bytes kept in 1 MiB");
    }
}
