package io.duban.common.paging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.duban.common.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CursorsTest {

    @Test
    void aCursorCarriesItsFieldsBackNullsAsEmpty() {
        String c = Cursors.encode("units", "FGW", null, 42, "发改委");
        assertArrayEquals(new String[] { "FGW", "", "42", "发改委" }, Cursors.decode(c, "units", 4));
    }

    @Test
    void aCursorIsUrlSafe() {
        String c = Cursors.encode("people", "????>>>>~~~~", "\u00ff\u00fe");
        assertEquals(c, java.net.URLEncoder.encode(c, StandardCharsets.UTF_8));
    }

    @Test
    void aCursorOfAnotherListOrShapeOrNoneIs400() {
        String units = Cursors.encode("units", "FGW");
        for (String bad : new String[] { units + "!", "%%%", "",
                Base64.getUrlEncoder().encodeToString("people\u001fFGW".getBytes(StandardCharsets.UTF_8)) }) {
            ProblemException e = assertThrows(ProblemException.class, () -> Cursors.decode(bad, "units", 1), bad);
            assertEquals(400, e.status());
            assertEquals("bad-cursor", e.code());
        }
        assertEquals(400, assertThrows(ProblemException.class, () -> Cursors.decode(units, "people", 1)).status());
        assertEquals(400, assertThrows(ProblemException.class, () -> Cursors.decode(units, "units", 2)).status());
    }

    @Test
    void aFieldThatHoldsTheSeparatorIsRefusedWhenWritten() {
        assertThrows(IllegalArgumentException.class, () -> Cursors.encode("units", "A\u001fB"));
    }

    @Test
    void theLimitFallsBackAndIsBounded() {
        assertEquals(100, Cursors.limit(null, 100, 500));
        assertEquals(1, Cursors.limit(1, 100, 500));
        assertEquals(500, Cursors.limit(500, 100, 500));
        for (int bad : new int[] { 0, -1, 501 }) {
            ProblemException e = assertThrows(ProblemException.class, () -> Cursors.limit(bad, 100, 500));
            assertEquals(422, e.status());
        }
    }
}
