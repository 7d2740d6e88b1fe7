package io.duban.common.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duban.testing.MessageCatalogue;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The problems every service shares read well in Chinese and in English. */
class CommonMessagesTest {

    @Test
    void bothLanguagesHaveTheSameSharedMessages() {
        assertEquals(Set.of(), MessageCatalogue.languageGaps("messages.common"));
    }

    @Test
    void everyProblemRaisedHereHasItsMessages() {
        Set<String> raised = MessageCatalogue.raisedIn(Path.of("src/main/java"));
        assertTrue(raised.size() > 8, "the scan finds the problems: " + raised);
        assertEquals(Set.of(), MessageCatalogue.unexplained(raised));
    }

    @Test
    void keyArgumentsAreTranslatedAndUnknownKeysStayVisible() {
        assertEquals("请求的地址不存在。", Messages.get(Locale.SIMPLIFIED_CHINESE, "detail.http-404"));
        assertEquals("No such resource.", Messages.get(Locale.ENGLISH, "detail.http-404"));
        assertEquals("no.such.key", Messages.get(Locale.ENGLISH, "no.such.key"));
        assertEquals("查询参数 状态 的取值无效，详见 errors 列表。",
                Messages.get(Locale.SIMPLIFIED_CHINESE, "detail.bad-parameter", new Messages.Key("状态")));
    }

    @Test
    void aMalformedAcceptLanguageIsReadLeniently() {
        assertEquals(Locale.ENGLISH, Messages.locale("en;q=abc"));
        assertEquals(Locale.ENGLISH, Messages.locale("xx;q=, en-GB;q=\"0.5\""));
        assertEquals(Locale.SIMPLIFIED_CHINESE, Messages.locale("zh-TW;q=x, en"));
        assertEquals(Locale.SIMPLIFIED_CHINESE, Messages.locale(";;,,=\u0000"));
        assertEquals(Locale.SIMPLIFIED_CHINESE, Messages.locale((String) null));
    }
}
