package io.duban.common.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HttpMetricLabelsTest {

    @Path("/api/v1/things/")
    static class Things {
        @GET
        public String list() {
            return "";
        }

        @POST
        @Path("{id}/close/")
        public String close() {
            return "";
        }

        @GET
        @Path("/{code: [A-Z]+}")
        public String byCode() {
            return "";
        }
    }

    interface Documented {
        @GET
        @Path("/mine")
        String mine();
    }

    @Path("api/v1/other")
    static class Other implements Documented {
        @Override
        public String mine() {
            return "";
        }
    }

    static class NotAResource {
        @Path("/nothing")
        public void nothing() {
        }
    }

    @Test
    void aResourcesTemplatesAreWrittenAsQuarkusLabelsThem() {
        assertEquals(Set.of("/api/v1/things", "/api/v1/things/{id}/close", "/api/v1/things/{code}"),
                HttpMetricLabels.routeTemplates(Things.class));
        assertEquals(Set.of("/api/v1/other", "/api/v1/other/mine"), HttpMetricLabels.routeTemplates(Other.class),
                "a method's @Path found on the interface it implements");
        assertEquals(Set.of(), HttpMetricLabels.routeTemplates(NotAResource.class));
    }

    private static Meter.Id request(String method, String uri, int status) {
        return new Meter.Id("http.server.requests",
                Tags.of("method", method, "uri", uri, "status", Integer.toString(status), "outcome", "CLIENT_ERROR"),
                null, null, Meter.Type.TIMER);
    }

    private static String uri(MeterFilter f, String uri) {
        return f.map(request("GET", uri, 400)).getTag("uri");
    }

    @Test
    void aPathThatIsNoRouteIsLabelledNotFoundWhateverItsStatus() {
        MeterFilter f = HttpMetricLabels.filter(HttpMetricLabels.routeTemplates(Things.class));
        assertEquals("/api/v1/things/{id}/close", uri(f, "/api/v1/things/{id}/close"));
        assertEquals("/api/v1/things", uri(f, "/api/v1/things"));
        // What a request refused before routing would otherwise be labelled with: the path as sent.
        assertEquals("NOT_FOUND", uri(f, "/api/v1/things/a%00b/close"));
        assertEquals("NOT_FOUND", uri(f, "/api/v1/things/x1/close;jsessionid=x"));
        assertEquals("NOT_FOUND", uri(f, "/r8d2k/" + "x".repeat(5000)));
        assertEquals("NOT_FOUND", uri(f, "/api/v1/things/42"));
        assertEquals("NOT_FOUND", uri(f, "/q/metrics/../../api/v1/things/42"));
        for (String kept : Set.of("NOT_FOUND", "REDIRECTION", "root", "UNKNOWN", "/q/metrics", "/q/health/ready", "/q/openapi")) {
            assertEquals(kept, uri(f, kept));
        }
    }

    @Test
    void aMethodTheApisDoNotUseIsOtherAndTheOtherLabelsStay() {
        MeterFilter f = HttpMetricLabels.filter(Set.of("/api/v1/things"));
        Meter.Id id = f.map(request("MKX" + "Y".repeat(40), "/a%00", 400));
        assertEquals("OTHER", id.getTag("method"));
        assertEquals("NOT_FOUND", id.getTag("uri"));
        assertEquals("400", id.getTag("status"));
        assertEquals("CLIENT_ERROR", id.getTag("outcome"));
        Meter.Id unrelated = new Meter.Id("duban.items.dispatched", Tags.of("uri", "/a%00"), null, null, Meter.Type.COUNTER);
        assertEquals("/a%00", f.map(unrelated).getTag("uri"), "only the HTTP server's series are relabelled");
    }
}
