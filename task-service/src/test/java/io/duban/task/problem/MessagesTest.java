package io.duban.task.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every problem the code can raise reads well in Chinese and in English. */
class MessagesTest {

    private static final Pattern RAISED = Pattern.compile(
            "(?:ProblemException\\(\\d+, |conflict\\(|respond\\(\\d+, |invalid\\(\"[\\w\\[\\]]+\", )\"([a-zA-Z.-]+)\"");

    @Test
    void bothLanguagesHaveTheSameMessages() {
        ResourceBundle zh = ResourceBundle.getBundle("messages.problems", Locale.ROOT);
        ResourceBundle en = ResourceBundle.getBundle("messages.problems", Locale.ENGLISH);
        assertEquals(new TreeSet<>(zh.keySet()), new TreeSet<>(en.keySet()));
        assertEquals("未找到该督办事项（42），或您无权查看。", Messages.get(Locale.SIMPLIFIED_CHINESE, "detail.not-found",
                Messages.get(Locale.SIMPLIFIED_CHINESE, "item"), "42"));
        assertEquals("No item 42, or you may not see it.", Messages.get(Locale.ENGLISH, "detail.not-found",
                Messages.get(Locale.ENGLISH, "item"), "42"));
    }

    @Test
    void everyProblemRaisedInTheCodeHasATitleAndADetailOrAFieldMessage() throws IOException {
        ResourceBundle zh = ResourceBundle.getBundle("messages.problems", Locale.ROOT);
        Set<String> raised = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = RAISED.matcher(Files.readString(f));
                while (m.find()) {
                    raised.add(m.group(1));
                }
            }
        }
        assertTrue(raised.size() > 20, "the scan finds the problems: " + raised);
        for (String code : raised) {
            boolean field = code.startsWith("field.");
            assertTrue(field ? zh.containsKey(code) : zh.containsKey("title." + code) && zh.containsKey("detail." + code),
                    "no message for " + code);
        }
    }
}
