package io.duban.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a server is, for other processes: lines {@code DUBAN_PG_HOST='127.0.0.1'} that a shell script can
 * source and Java can read. Written whole (to a temporary file, then moved), so a reader never sees half.
 */
public final class StateFile {

    public static final String SOURCE = "DUBAN_PG_SOURCE";
    public static final String HOST = "DUBAN_PG_HOST";
    public static final String PORT = "DUBAN_PG_PORT";
    public static final String ADMIN = "DUBAN_PG_ADMIN";
    public static final String VERSION = "DUBAN_PG_VERSION";
    /** The process that holds an embedded server (and stops it when it ends). */
    public static final String KEEPER_PID = "DUBAN_PG_KEEPER_PID";

    private StateFile() {
    }

    public static void write(Path file, PostgresServer server, Long keeperPid) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(SOURCE, server.source().name().toLowerCase());
        values.put(HOST, server.host());
        values.put(PORT, Integer.toString(server.port()));
        values.put(ADMIN, server.admin());
        values.put(VERSION, server.version());
        if (keeperPid != null) {
            values.put(KEEPER_PID, keeperPid.toString());
        }
        StringBuilder text = new StringBuilder("# Written by io.duban.postgres; removed when the server stops.\n");
        values.forEach((k, v) -> text.append(k).append("='").append(v.replace("'", "'\\''")).append("'\n"));
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The values of a state file, or empty if there is none. */
    public static Optional<Map<String, String>> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : lines) {
            int eq = line.indexOf('=');
            if (line.startsWith("#") || eq < 0) {
                continue;
            }
            String v = line.substring(eq + 1);
            if (v.length() >= 2 && v.startsWith("'") && v.endsWith("'")) {
                v = v.substring(1, v.length() - 1).replace("'\\''", "'");
            }
            values.put(line.substring(0, eq), v);
        }
        return Optional.of(values);
    }

    /** The server a state file describes. */
    public static PostgresServer server(Map<String, String> values) {
        return new PostgresServer(PostgresServer.Source.valueOf(values.get(SOURCE).toUpperCase()), values.get(HOST),
                Integer.parseInt(values.get(PORT)), values.get(ADMIN), values.get(VERSION));
    }
}
