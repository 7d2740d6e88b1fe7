package io.duban.notification.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SMTP client against a real SMTP server on loopback that answers as quickly and as piecemeal as
 * TCP allows: its greeting is written the moment it accepts, and every reply one byte per write. The
 * client quarkus-mailer brought lost such a greeting now and then (EmailSender says how).
 */
class EmailSenderTest {

    private final EagerSmtpServer server = new EagerSmtpServer();

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    @Test
    void aServerThatGreetsAtOnceAndInPiecesTakesEveryMessage() throws Exception {
        EmailSender sender = new EmailSender(config(server.port(), Duration.ZERO));
        for (int i = 0; i < 50; i++) {
            sender.send(delivery("u" + i + "@fgw.example.gov.cn", "【催办】DB-2026-00" + i + " 关于推进老旧小区改造工作的批示",
                    "督查室对您单位承办的督办事项发出催办。\n催办意见：请于本周内报送办理情况。"));
        }
        assertEquals(50, server.messages.size());
        assertEquals(50, server.connections.get(), "keep-alive 0: a connection per message");
        MimeMessage m = parse(server.messages.get(7));
        assertEquals("【催办】DB-2026-007 关于推进老旧小区改造工作的批示", m.getSubject());
        assertTrue(((String) m.getContent()).contains("催办意见：请于本周内报送办理情况。"), (String) m.getContent());
        assertEquals("督查督办系统", ((InternetAddress) m.getFrom()[0]).getPersonal());
        assertEquals("u7@fgw.example.gov.cn", m.getAllRecipients()[0].toString());
    }

    @Test
    void anOpenConnectionServesTheNextMessageAfterANoopAndADroppedOneIsReplaced() throws Exception {
        EmailSender sender = new EmailSender(config(server.port(), Duration.ofMinutes(1)));
        sender.send(delivery("a@sfj.example.gov.cn", "一", "正文一"));
        sender.send(delivery("b@sfj.example.gov.cn", "二", "正文二"));
        assertEquals(1, server.connections.get(), "the second message went over the first connection");
        assertTrue(server.commands.contains("NOOP"), server.commands.toString());

        server.dropOpenConnections();
        sender.send(delivery("c@sfj.example.gov.cn", "三", "正文三"));
        assertEquals(2, server.connections.get(), "the dropped connection was replaced, not used");
        assertEquals(3, server.messages.size());
        sender.discard();
    }

    @Test
    void aServerThatIsDownFailsTheAttemptWithAnSmtpError() throws IOException {
        int port = server.port();
        server.close();
        EmailSender sender = new EmailSender(config(port, Duration.ofMinutes(1)));
        DeliveryFailedException e = assertThrows(DeliveryFailedException.class,
                () -> sender.send(delivery("a@sfj.example.gov.cn", "一", "正文")));
        assertTrue(e.getMessage().startsWith("SMTP: "), e.getMessage());
    }

    private static Delivery delivery(String to, String subject, String body) {
        Delivery d = new Delivery();
        d.recipient = to;
        d.subject = subject;
        d.body = body;
        return d;
    }

    private static MimeMessage parse(byte[] data) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(data));
    }

    /** The mapping as the service builds it: its defaults, with the test server's port and the keep-alive. */
    private static SmtpConfig config(int port, Duration keepAlive) {
        return new SmallRyeConfigBuilder().withMapping(SmtpConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter()) // "30s", as Quarkus reads it
                .withDefaultValues(Map.of("duban.smtp.host", "127.0.0.1", "duban.smtp.port", Integer.toString(port),
                        "duban.smtp.from", "督查督办系统 <duban@test.local>", "duban.smtp.timeout", "5s",
                        "duban.smtp.keep-alive", keepAlive.toString()))
                .build().getConfigMapping(SmtpConfig.class);
    }

    /** A minimal SMTP server: greets on accept, answers one byte per write, keeps each message's data. */
    private static final class EagerSmtpServer implements AutoCloseable {

        final List<byte[]> messages = new CopyOnWriteArrayList<>();
        final List<String> commands = new CopyOnWriteArrayList<>();
        final AtomicInteger connections = new AtomicInteger();
        private final List<Socket> open = new CopyOnWriteArrayList<>();
        private final ServerSocket socket;

        EagerSmtpServer() {
            try {
                socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Thread accept = new Thread(this::accept, "eager-smtp");
            accept.setDaemon(true);
            accept.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        void dropOpenConnections() throws IOException {
            for (Socket s : open) {
                s.close();
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            dropOpenConnections();
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    s.setTcpNoDelay(true);
                    connections.incrementAndGet();
                    open.add(s);
                    Thread t = new Thread(() -> serve(s), "eager-smtp-session");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket s) {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                reply(out, "220 eager.test ESMTP ready");
                String line;
                while ((line = readLine(in)) != null) {
                    String verb = line.split(" ", 2)[0].toUpperCase();
                    commands.add(verb);
                    switch (verb) {
                        case "EHLO" -> reply(out, "250-eager.test\r\n250 8BITMIME");
                        case "MAIL", "RCPT", "RSET", "NOOP" -> reply(out, "250 OK");
                        case "DATA" -> {
                            reply(out, "354 go ahead");
                            messages.add(readData(in));
                            reply(out, "250 queued");
                        }
                        case "QUIT" -> {
                            reply(out, "221 bye");
                            return;
                        }
                        default -> reply(out, "502 not implemented");
                    }
                }
            } catch (IOException e) {
                // the client or the test closed the connection
            } finally {
                open.remove(s);
            }
        }

        private static void reply(OutputStream out, String text) throws IOException {
            for (byte b : (text + "\r\n").getBytes(StandardCharsets.US_ASCII)) {
                out.write(b);
                out.flush();
            }
        }

        private static String readLine(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    int n = sb.length();
                    return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
                }
                sb.append((char) c);
            }
            return sb.isEmpty() ? null : sb.toString();
        }

        private static byte[] readData(InputStream in) throws IOException {
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            String line;
            while ((line = readLine(in)) != null && !line.equals(".")) {
                String unstuffed = line.startsWith("..") ? line.substring(1) : line;
                data.write((unstuffed + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            return data.toByteArray();
        }
    }
}
