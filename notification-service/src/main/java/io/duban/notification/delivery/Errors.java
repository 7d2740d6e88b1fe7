package io.duban.notification.delivery;

/** An exception as the delivery log keeps it: its message chain, short, without class names of ours. */
final class Errors {

    static final int MAX = 1000;

    private Errors() {
    }

    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < MAX; t = t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (sb.indexOf(m) < 0) {
                if (!sb.isEmpty()) {
                    sb.append(" ← ");
                }
                sb.append(m);
            }
        }
        return truncate(sb.toString());
    }

    static String truncate(String s) {
        return s.length() <= MAX ? s : s.substring(0, MAX - 1) + "…";
    }
}
