import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local SMTP sink for run-local.sh, run as a single source file (no build needed):
 *
 *   java dev/SmtpSink.java PORT DIRECTORY [WATCH_PID]
 *
 * PORT 0 takes any free port (the first line printed names it). With WATCH_PID it ends when that
 * process has ended (run-local.sh passes its own).
 * Listens on 127.0.0.1:PORT, accepts every message and writes it to DIRECTORY twice: as sent (.eml,
 * for any mail client) and, for a plain-text message, readable (.txt: From, To, Subject and body
 * decoded from base64 / quoted-printable and MIME encoded words). It never relays anything anywhere.
 * For local runs only.
 */
public class SmtpSink {

    private static final AtomicInteger COUNT = new AtomicInteger();

    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: java dev/SmtpSink.java PORT DIRECTORY [WATCH_PID]");
            System.exit(2);
        }
        if (args.length == 3) {
            ProcessHandle watched = ProcessHandle.of(Long.parseLong(args[2]))
                    .orElseThrow(() -> new IllegalArgumentException("no process " + args[2]));
            watched.onExit().thenRun(() -> System.exit(0));
        }
        Path dir = Files.createDirectories(Path.of(args[1]));
        try (ServerSocket server = new ServerSocket(Integer.parseInt(args[0]), 50, InetAddress.getLoopbackAddress())) {
            System.out.println("SMTP sink on 127.0.0.1:" + server.getLocalPort() + ", mail in " + dir);
            System.out.flush();
            while (true) {
                Socket s = server.accept();
                Thread t = new Thread(() -> session(s, dir), "smtp-sink");
                t.setDaemon(true);
                t.start();
            }
        }
    }

    private static void session(Socket socket, Path dir) {
        try (socket;
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                OutputStream out = socket.getOutputStream()) {
            reply(out, "220 duban-smtp-sink ready");
            String line;
            while ((line = in.readLine()) != null) {
                String cmd = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                switch (cmd) {
                    case "EHLO" -> reply(out, "250-duban-smtp-sink\r\n250-8BITMIME\r\n250 SMTPUTF8");
                    case "HELO" -> reply(out, "250 duban-smtp-sink");
                    case "MAIL", "RCPT", "RSET", "NOOP" -> reply(out, "250 OK");
                    case "DATA" -> {
                        reply(out, "354 end with <CRLF>.<CRLF>");
                        StringBuilder message = new StringBuilder();
                        while ((line = in.readLine()) != null && !line.equals(".")) {
                            message.append(line.startsWith("..") ? line.substring(1) : line).append("\r\n");
                        }
                        String name = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                                + "-" + COUNT.incrementAndGet() + ".eml";
                        Files.writeString(dir.resolve(name), message, StandardCharsets.UTF_8);
                        Files.writeString(dir.resolve(name.replace(".eml", ".txt")), readable(message.toString()),
                                StandardCharsets.UTF_8);
                        reply(out, "250 OK stored as " + name);
                    }
                    case "QUIT" -> {
                        reply(out, "221 bye");
                        return;
                    }
                    default -> reply(out, "502 not implemented");
                }
            }
        } catch (IOException e) {
            System.err.println("SMTP sink: " + e.getMessage());
        }
    }

    /** Headers From/To/Subject and the body of a single-part message, decoded. */
    static String readable(String eml) {
        int split = eml.indexOf("\r\n\r\n");
        String head = split < 0 ? eml : eml.substring(0, split);
        String body = split < 0 ? "" : eml.substring(split + 4);
        StringBuilder out = new StringBuilder();
        String encoding = "";
        for (String h : head.replace("\r\n ", " ").replace("\r\n\t", " ").split("\r\n")) {
            String lower = h.toLowerCase();
            if (lower.startsWith("from:") || lower.startsWith("to:") || lower.startsWith("subject:") || lower.startsWith("date:")) {
                out.append(words(h)).append("\n");
            } else if (lower.startsWith("content-transfer-encoding:")) {
                encoding = lower.substring(lower.indexOf(':') + 1).strip();
            }
        }
        out.append("\n");
        if (encoding.equals("base64")) {
            out.append(new String(Base64.getMimeDecoder().decode(body), StandardCharsets.UTF_8));
        } else if (encoding.equals("quoted-printable")) {
            out.append(quotedPrintable(body.replace("=\r\n", ""), false));
        } else {
            out.append(body);
        }
        return out.toString();
    }

    /** RFC 2047 encoded words (=?utf-8?b?...?= and =?utf-8?q?...?=) decoded. */
    static String words(String header) {
        Matcher m = Pattern.compile("=\\?([^?]+)\\?([bBqQ])\\?([^?]*)\\?=\\s*").matcher(header);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String text = m.group(2).equalsIgnoreCase("b")
                    ? new String(Base64.getDecoder().decode(m.group(3)), StandardCharsets.UTF_8)
                    : quotedPrintable(m.group(3), true);
            m.appendReplacement(sb, Matcher.quoteReplacement(text));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    static String quotedPrintable(String s, boolean underscoreIsSpace) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '=' && i + 2 < s.length()) {
                bytes.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else if (c == '_' && underscoreIsSpace) {
                bytes.write(' ');
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
