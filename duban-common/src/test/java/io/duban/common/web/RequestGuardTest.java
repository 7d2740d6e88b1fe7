package io.duban.common.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The guard reads the path as sent and decodes it once, whatever it holds. */
class RequestGuardTest {

    @Test
    void thePathIsDecodedOnceAsUtf8() {
        assertEquals("/api/v1/units/A%n", RequestGuard.decodedPath("/api/v1/units/A%25n"));
        assertEquals("/api/v1/units/A%41", RequestGuard.decodedPath("/api/v1/units/A%2541"));
        assertEquals("/api/v1/units/发改委", RequestGuard.decodedPath("/api/v1/units/%E5%8F%91%E6%94%B9%E5%A7%94"));
        assertEquals("/a\u0000b", RequestGuard.decodedPath("/a%00b"));
        assertEquals("/a+b", RequestGuard.decodedPath("/a+b"));
    }

    @Test
    void aMalformedEscapeIsNoPath() {
        assertNull(RequestGuard.decodedPath("/a%zz"));
        assertNull(RequestGuard.decodedPath("/a%4"));
        assertNull(RequestGuard.decodedPath("/a%"));
    }
}
