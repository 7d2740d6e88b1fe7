package io.duban.task.rest;

import static io.duban.task.support.Fixture.act;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.duban.common.security.VerifiedTokens;
import io.duban.task.domain.TimelineEntry;
import io.duban.task.support.Db;
import io.duban.task.support.Fixture;
import io.duban.testing.DevTokens;
import io.duban.testing.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The 401 / 403 / 404 matrix: who may call what, and what another unit's handler sees. */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class AccessControlTest {

    @Inject
    JWTParser parser;

    private String lead;
    private String other;
    private String id;

    @BeforeEach
    void item() {
        lead = Fixture.unit("L");
        other = Fixture.unit("O");
        id = Fixture.dispatched(lead, List.of());
    }

    @Test
    void missingOrInvalidTokenAnswers401WithProblemJson() throws Exception {
        given().get("/api/v1/tasks").then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("code", equalTo("unauthorized"))
                .body("status", equalTo(401));
        given().auth().oauth2("not-a-jwt").get("/api/v1/tasks/" + id).then().statusCode(401);

        // Signed by a key the service does not trust.
        var generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String forged = Jwt.issuer("https://duban.local/issuer").subject("mallory").groups(Set.of("supervisor"))
                .sign(generator.generateKeyPair().getPrivate());
        given().auth().oauth2(forged).get("/api/v1/tasks/" + id).then().statusCode(401);

        // Trusted key, wrong issuer; and an expired token.
        String wrongIssuer = Jwt.issuer("https://evil.example").subject("x").groups(Set.of("supervisor")).sign();
        given().auth().oauth2(wrongIssuer).get("/api/v1/tasks/" + id).then().statusCode(401);
        String expired = Jwt.issuer("https://duban.local/issuer").subject("x").groups(Set.of("supervisor"))
                .issuedAt(Instant.now().minusSeconds(7200)).expiresAt(Instant.now().minusSeconds(3600)).sign();
        given().auth().oauth2(expired).get("/api/v1/tasks/" + id).then().statusCode(401);
        given().auth().oauth2(expired).post("/api/v1/tasks/" + id + "/dispatch").then().statusCode(401);
    }

    @Test
    void aVerifiedTokenIsServedAgainWhileATamperedCopyOfItIsStillRefused() {
        assertInstanceOf(VerifiedTokens.class, parser, "bearer tokens go through the verified-token cache");
        String token = DevTokens.supervisor();
        given().auth().oauth2(token).get("/api/v1/tasks/" + id).then().statusCode(200);
        given().auth().oauth2(token).get("/api/v1/tasks/" + id).then().statusCode(200);
        String[] parts = token.split("\\.");
        // The same claims with one character of the signature changed.
        char c = parts[2].charAt(10);
        String badSignature = parts[0] + "." + parts[1] + "." + parts[2].substring(0, 10) + (c == 'A' ? 'B' : 'A')
                + parts[2].substring(11);
        given().auth().oauth2(badSignature).get("/api/v1/tasks/" + id).then().statusCode(401);
        // Other claims (an admin's) under the verified token's signature.
        String admin = DevTokens.admin().split("\\.")[1];
        given().auth().oauth2(parts[0] + "." + admin + "." + parts[2]).get("/api/v1/tasks/" + id).then().statusCode(401);
        given().auth().oauth2(token).get("/api/v1/tasks/" + id).then().statusCode(200);
    }

    @Test
    void wrongRoleAnswers403AndChangesNothing() {
        String handler = DevTokens.handler(lead);
        act(handler, "/api/v1/tasks", Fixture.item(lead, List.of())).statusCode(403)
                .contentType("application/problem+json").body("code", equalTo("forbidden"));
        act(handler, "/api/v1/tasks/" + id + "/cancel", Map.of("reason", "x")).statusCode(403);
        act(handler, "/api/v1/tasks/" + id + "/review", Map.of("decision", "APPROVE", "rating", "GOOD"))
                .statusCode(403);
        act(handler, "/api/v1/tasks/" + id + "/instructions", Map.of("content", "x")).statusCode(403);
        // The office does not accept on a unit's behalf, nor does a leader.
        act(DevTokens.supervisor(), "/api/v1/tasks/" + id + "/assignments/" + lead + "/accept", null).statusCode(403);
        act(DevTokens.leader(), "/api/v1/tasks/" + id + "/urge", Map.of("message", "x")).statusCode(403);
        act(DevTokens.supervisor(), "/api/v1/units", Map.of("code", "ZZZ", "name", "某单位")).statusCode(403);
        given().auth().oauth2(handler).get("/api/v1/people").then().statusCode(403);
        // Administrators keep the directory and the calendar, not the items.
        given().auth().oauth2(DevTokens.admin()).get("/api/v1/tasks").then().statusCode(403);
        given().auth().oauth2(DevTokens.admin()).get("/api/v1/tasks/" + id).then().statusCode(403);
        // A token with no Duban role at all.
        given().auth().oauth2(DevTokens.token("guest", "guest", null)).get("/api/v1/tasks").then().statusCode(403);
        // A handler token without a unit claim.
        given().auth().oauth2(DevTokens.token("nobody", "handler", null)).get("/api/v1/tasks").then().statusCode(403);

        assertEquals(List.of("CREATE", "DISPATCH"), timeline());
    }

    @Test
    void handlerOfAnotherUnitGets404ForEverythingAboutTheItem() {
        String stranger = DevTokens.handler(other);
        String base = "/api/v1/tasks/" + id;
        given().auth().oauth2(stranger).get(base).then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("not-found"));
        given().auth().oauth2(stranger).get(base + "/timeline").then().statusCode(404);
        act(stranger, base + "/assignments/" + lead + "/accept", null).statusCode(404);
        act(stranger, base + "/assignments/" + lead + "/decline", Map.of("reason", "不是我们的")).statusCode(404);
        act(stranger, base + "/assignments/" + lead + "/progress", Map.of("content", "x", "percent", 5))
                .statusCode(404);
        act(stranger, base + "/assignments/" + lead + "/submit", Map.of("summary", "x")).statusCode(404);
        act(stranger, base + "/assignments/" + lead + "/extension-requests",
                Map.of("requestedDeadline", "2099-01-01", "reason", "x")).statusCode(404);
        // Acting as its own unit on an item it has no part in: 404 as well.
        act(stranger, base + "/assignments/" + other + "/accept", null).statusCode(404);
        // The same answer as for an item that does not exist, so nothing can be probed.
        given().auth().oauth2(stranger).get("/api/v1/tasks/" + UUID.randomUUID()).then().statusCode(404);
        given().auth().oauth2(stranger).get("/api/v1/tasks?limit=100").then().statusCode(200)
                .body("items.id", not(hasItem(id)));
        given().auth().oauth2(DevTokens.handler(lead)).get("/api/v1/tasks?limit=100").then().statusCode(200)
                .body("items.id", hasItem(id))
                .body("items.leadUnit", everyItem(equalTo(lead)));

        assertEquals(List.of("CREATE", "DISPATCH"), timeline());
    }

    @Test
    void leaderAndSupervisorSeeEveryItem() {
        given().auth().oauth2(DevTokens.leader()).get("/api/v1/tasks/" + id).then().statusCode(200)
                .body("leadUnit", equalTo(lead));
        given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/tasks/" + id + "/timeline").then().statusCode(200);
    }

    private List<String> timeline() {
        return Db.read(() -> TimelineEntry.<TimelineEntry>list("itemId = ?1 order by id", UUID.fromString(id))
                .stream().map(t -> t.action).toList());
    }

    @Test
    void aCancelledDraftStaysInvisibleToItsUnits() {
        String unit = Fixture.unit("P");
        String draft = Fixture.draft(unit, List.of());
        act(DevTokens.supervisor(), "/api/v1/tasks/" + draft + "/cancel", Map.of("reason", "立项有误")).statusCode(200);
        String handler = DevTokens.handler(unit);
        given().auth().oauth2(handler).get("/api/v1/tasks/" + draft).then().statusCode(404);
        given().auth().oauth2(handler).get("/api/v1/tasks/" + draft + "/timeline").then().statusCode(404);
        given().auth().oauth2(handler).get("/api/v1/tasks?limit=100").then().body("items.id", not(hasItem(draft)));
        given().auth().oauth2(handler).get("/api/v1/me/assignments?status=CANCELLED").then().statusCode(200)
                .body("assignments.itemId", not(hasItem(draft)));
    }

    @Test
    void aTokenWithSeveralRolesStillActsOnlyForItsOwnUnit() {
        String both = DevTokens.token("two-hats", "handler", other);
        String mixed = Jwt.issuer("https://duban.local/issuer").subject("two-hats")
                .groups(Set.of("handler", "supervisor")).claim("unit", other).sign();
        act(mixed, "/api/v1/tasks/" + id + "/assignments/" + lead + "/accept", null).statusCode(404);
        act(mixed, "/api/v1/tasks/" + id + "/assignments/" + lead + "/progress", Map.of("content", "x", "percent", 1))
                .statusCode(404);
        act(both, "/api/v1/tasks/" + id + "/assignments/" + lead + "/accept", null).statusCode(404);
        assertEquals(List.of("CREATE", "DISPATCH"), timeline());
    }
}
