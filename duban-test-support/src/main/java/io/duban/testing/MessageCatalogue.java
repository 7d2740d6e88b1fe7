package io.duban.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks a module's message catalogue (messages/problems*.properties, or the shared
 * messages/common*.properties): both languages have the same keys, and every problem the module's
 * sources raise has a title and a detail (or, for a field complaint, its message) in one of the
 * catalogues a service reads.
 */
public final class MessageCatalogue {

    private static final Pattern RAISED = Pattern.compile(
            "(?:ProblemException\\(\\d+, |conflict\\(|respond\\(\\d+, |invalid\\(\"[\\w\\[\\]]+\", )\"([a-zA-Z.-]+)\"");

    private MessageCatalogue() {
    }

    /** The keys of one catalogue whose Chinese and English versions differ; empty when they agree. */
    public static Set<String> languageGaps(String bundle) {
        Set<String> zh = new TreeSet<>(ResourceBundle.getBundle(bundle, Locale.ROOT).keySet());
        Set<String> en = new TreeSet<>(ResourceBundle.getBundle(bundle, Locale.ENGLISH).keySet());
        Set<String> gaps = new TreeSet<>(zh);
        gaps.addAll(en);
        Set<String> both = new TreeSet<>(zh);
        both.retainAll(en);
        gaps.removeAll(both);
        return gaps;
    }

    /** The problem codes and field keys the sources under the directory raise. */
    public static Set<String> raisedIn(Path sources) {
        Set<String> raised = new TreeSet<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = RAISED.matcher(Files.readString(f));
                while (m.find()) {
                    raised.add(m.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return raised;
    }

    /** The raised codes without a message in the service's or the shared catalogue. */
    public static Set<String> unexplained(Set<String> raised) {
        Set<String> missing = new TreeSet<>();
        for (String code : raised) {
            boolean field = code.startsWith("field.");
            if (field ? !has(code) : !(has("title." + code) && has("detail." + code))) {
                missing.add(code);
            }
        }
        return missing;
    }

    private static boolean has(String key) {
        for (String bundle : new String[] { "messages.problems", "messages.common" }) {
            try {
                if (ResourceBundle.getBundle(bundle, Locale.ROOT).containsKey(key)) {
                    return true;
                }
            } catch (MissingResourceException ignored) {
                // a service without messages of its own
            }
        }
        return false;
    }
}
