package io.duban.common.lifecycle;

import io.duban.common.problem.ProblemException;
import io.duban.common.problem.ProblemMappers;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Once the pre-shutdown delay is over ({@link Draining#refusingRequests()}), every new API request is
 * answered 503 problem+json ("shutting-down", with Retry-After and Connection: close) before anything
 * of it runs: nothing is half done, and the client may send it again to another instance. Requests
 * already running are not affected; the health endpoints are not API requests and keep answering.
 */
public class DrainingGate {

    /** Seconds a client should wait before it tries this address again (another instance will answer). */
    static final String RETRY_AFTER_SECONDS = "1";

    private final Draining draining;
    private final ProblemMappers problems = new ProblemMappers();

    public DrainingGate(Draining draining) {
        this.draining = draining;
    }

    @ServerRequestFilter(preMatching = true, priority = 100)
    public Response refuseWhileDraining(HttpHeaders headers, UriInfo uri) {
        if (!draining.refusingRequests()) {
            return null;
        }
        draining.refused();
        return Response.fromResponse(problems.problem(new ProblemException(503, "shutting-down"), headers, uri))
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .header("Connection", "close")
                .build();
    }
}
