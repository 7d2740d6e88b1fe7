package io.duban.system.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP trace receiver ({@code POST /v1/traces}, protobuf) for tests: it reads the few fields of
 * ExportTraceServiceRequest that a test looks at (the resource's service.name, each span's trace id,
 * span id, parent span id and name) with a small protobuf reader, and answers 200 with an empty body.
 */
public final class OtlpReceiver implements AutoCloseable {

    /** One span as a service exported it. */
    public record Span(String service, String traceId, String spanId, String parentSpanId, String name) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private final List<Span> spans = new CopyOnWriteArrayList<>();

    public OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The endpoint to give a service (DUBAN_OTLP_ENDPOINT). */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Span> spans() {
        return List.copyOf(spans);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes();
            }
            if (exchange.getRequestURI().getPath().endsWith("/v1/traces")) {
                for (Field resourceSpans : Field.all(ByteBuffer.wrap(body))) {
                    if (resourceSpans.number == 1) {
                        readResourceSpans(resourceSpans.bytes);
                    }
                }
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        }
    }

    private void readResourceSpans(ByteBuffer b) {
        String service = null;
        List<Field> fields = Field.all(b);
        for (Field f : fields) {
            if (f.number == 1) { // Resource
                for (Field attribute : Field.all(f.bytes)) {
                    if (attribute.number == 1) { // KeyValue
                        String key = null;
                        String value = null;
                        for (Field kv : Field.all(attribute.bytes)) {
                            if (kv.number == 1) {
                                key = kv.text();
                            } else if (kv.number == 2) {
                                for (Field any : Field.all(kv.bytes)) {
                                    if (any.number == 1) {
                                        value = any.text();
                                    }
                                }
                            }
                        }
                        if ("service.name".equals(key)) {
                            service = value;
                        }
                    }
                }
            }
        }
        for (Field f : fields) {
            if (f.number == 2) { // ScopeSpans
                for (Field span : Field.all(f.bytes)) {
                    if (span.number == 2) {
                        readSpan(service, span.bytes);
                    }
                }
            }
        }
    }

    private void readSpan(String service, ByteBuffer b) {
        String traceId = null;
        String spanId = null;
        String parent = "";
        String name = null;
        for (Field f : Field.all(b)) {
            switch (f.number) {
                case 1 -> traceId = f.hex();
                case 2 -> spanId = f.hex();
                case 4 -> parent = f.hex();
                case 5 -> name = f.text();
                default -> {
                }
            }
        }
        spans.add(new Span(service, traceId, spanId, parent, name));
    }

    /** A length-delimited protobuf field (others are read past): its number and bytes. */
    private record Field(int number, ByteBuffer bytes) {

        static List<Field> all(ByteBuffer in) {
            ByteBuffer b = in.duplicate();
            List<Field> out = new java.util.ArrayList<>();
            while (b.hasRemaining()) {
                long key = varint(b);
                int number = (int) (key >>> 3);
                switch ((int) (key & 7)) {
                    case 0 -> varint(b);
                    case 1 -> b.position(b.position() + 8);
                    case 5 -> b.position(b.position() + 4);
                    case 2 -> {
                        int length = (int) varint(b);
                        ByteBuffer slice = b.slice(b.position(), length);
                        b.position(b.position() + length);
                        out.add(new Field(number, slice));
                    }
                    default -> throw new IllegalArgumentException("unsupported protobuf wire type in " + key);
                }
            }
            return out;
        }

        private static long varint(ByteBuffer b) {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte x = b.get();
                value |= (long) (x & 0x7f) << shift;
                if ((x & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("malformed varint");
        }

        String text() {
            byte[] a = new byte[bytes.remaining()];
            bytes.duplicate().get(a);
            return new String(a, StandardCharsets.UTF_8);
        }

        String hex() {
            byte[] a = new byte[bytes.remaining()];
            bytes.duplicate().get(a);
            return HexFormat.of().formatHex(a);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
