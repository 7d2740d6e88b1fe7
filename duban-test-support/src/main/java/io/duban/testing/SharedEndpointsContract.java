package io.duban.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * What every Duban service answers alike, through duban-common: health, its OpenAPI document with
 * the problem+json contract, service-info, the caller endpoint, problem+json 401 / 403 / 404 in
 * Chinese or English, and the metrics the Grafana dashboard (deploy/grafana/duban.json) reads of it. Each service has a @QuarkusTest that extends it.
 */
public abstract class SharedEndpointsContract {

    /** The service under test: its `quarkus.application.name`. */
    private static String serviceName() {
        return ConfigProvider.getConfig().getValue("quarkus.application.name", String.class);
    }

    @Test
    void exposesEveryMetricTheDashboardReadsOfIt() {
        // One application request, so that the HTTP series exist.
        given().get("/api/v1/service-info").then().statusCode(200);
        Set<String> exposed = Metrics.scrape().names();
        Set<String> missing = new TreeSet<>(GrafanaDashboard.ofRepository().metricNamesOf(serviceName()));
        missing.removeAll(exposed);
        assertEquals(Set.of(), missing, "deploy/grafana/duban.json reads metrics " + serviceName() + " does not expose");
    }

    @Test
    void everyMetricOfTheDashboardIsSharedOrOwnedByAService() {
        GrafanaDashboard dashboard = GrafanaDashboard.ofRepository();
        assertEquals(Set.of("http_server_requests_seconds_count", "http_server_requests_seconds_bucket"),
                Set.copyOf(GrafanaDashboard.metricNames("histogram_quantile(0.99, sum by (le, uri) (rate("
                        + "http_server_requests_seconds_bucket{job=~\"$job\", uri!~\"NOT_FOUND\"}[$__rate_interval]))) "
                        + "/ on (uri) http_server_requests_seconds_count")));
        assertEquals(Set.of("http_server_requests_seconds_count"),
                GrafanaDashboard.metricNames("label_values(http_server_requests_seconds_count, job)"));
        assertTrue(dashboard.expressions().size() >= 20, "the dashboard's expressions were found");
        for (String name : dashboard.metricNames()) {
            assertTrue(GrafanaDashboard.owner(name) != null || !name.startsWith("duban_"),
                    name + ": a business metric of no service (GrafanaDashboard.OWNERS)");
        }
    }

    @Test
    void isReadyWithItsDatabase() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void publishesItsOpenApiDocumentWithTheProblemContract() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .contentType(ContentType.JSON)
                .body("info.title", equalTo("Duban " + serviceName() + " API"))
                .body("paths", hasKey("/api/v1/service-info"))
                .body("paths", hasKey("/api/v1/caller"))
                .body("components.schemas", hasKey("Problem"))
                .body("paths.'/api/v1/caller'.get.responses", hasKey("401"))
                .body("paths.'/api/v1/caller'.get.responses", hasKey("403"));
    }

    @Test
    void serviceInfoNamesTheServiceWithoutAToken() {
        given().get("/api/v1/service-info").then().statusCode(200)
                .body("service", equalTo(serviceName()))
                .body("status", not(emptyOrNullString()));
    }

    @Test
    void theCallerIsWhoTheTokenSays() {
        given().auth().oauth2(DevTokens.handler("FGW")).get("/api/v1/caller").then().statusCode(200)
                .body("username", equalTo("handler-fgw"))
                .body("roles", contains("HANDLER"))
                .body("roleLabels", contains("承办人"))
                .body("unitCode", equalTo("FGW"))
                .body("seesAll", equalTo(false));
        given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/caller").then().statusCode(200)
                .body("seesAll", equalTo(true));
    }

    @Test
    void noOrBadTokenAnswers401ProblemJson() {
        given().get("/api/v1/caller").then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("code", equalTo("unauthorized"))
                .body("detail", equalTo("缺少有效的访问令牌，请重新登录。"));
        given().auth().oauth2("not-a-jwt").get("/api/v1/caller").then().statusCode(401);
        Map<String, Object> claims = DevTokens.standardClaims("mallory", List.of("supervisor"));
        claims.put("iss", "https://evil.example");
        given().auth().oauth2(DevTokens.sign(claims)).get("/api/v1/caller").then().statusCode(401);
    }

    @Test
    void aTokenWithoutADubanRoleAnswers403ProblemJson() {
        given().auth().oauth2(DevTokens.token("guest", "guest", null)).header("Accept-Language", "en")
                .get("/api/v1/caller").then().statusCode(403)
                .contentType("application/problem+json")
                .body("code", equalTo("forbidden"))
                .body("detail", equalTo("Your role may not do this."));
        // A handler must belong to a unit: without one the token could see nothing.
        given().auth().oauth2(DevTokens.token("nobody", "handler", null)).get("/api/v1/caller").then()
                .statusCode(403).body("code", equalTo("forbidden"));
    }

    @Test
    void anUnknownAddressAnswers404ProblemJson() {
        given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/no-such-resource").then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", startsWith("https://duban.io/problems/"))
                .body("status", equalTo(404))
                .body("detail", equalTo("请求的地址不存在。"));
    }

    @Test
    void aPercentSignInThePathIsAnAddressNotAFailure() {
        // `%25` followed by text: JAX-RS's UriInfo.getPath() decodes it twice and throws.
        for (String path : List.of("/api/v1/no-such-resource%25n", "/api/v1/caller%25", "/api/v1/%25zz/x")) {
            given().auth().oauth2(DevTokens.supervisor()).urlEncodingEnabled(false).get(path).then().statusCode(404)
                    .contentType("application/problem+json")
                    .body("status", equalTo(404));
        }
    }

    @Test
    void aMalformedAcceptLanguageStillGetsItsProblemJson() {
        // JAX-RS refuses to parse this header; the refusal must still be explained, not become a 500.
        given().auth().oauth2(DevTokens.supervisor()).header("Accept-Language", "en;q=abc")
                .get("/api/v1/no-such-resource").then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("detail", equalTo("No such resource."));
        given().header("Accept-Language", "zh-CN;q=\"x\"").get("/api/v1/caller").then().statusCode(401)
                .contentType("application/problem+json")
                .body("detail", equalTo("缺少有效的访问令牌，请重新登录。"));
    }
}
