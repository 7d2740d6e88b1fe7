package io.duban.task.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duban.task.support.Fixture;
import io.duban.testing.DevTokens;
import io.duban.testing.Pages;
import io.duban.testing.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class DirectoryTest {

    @Test
    void unitsFormAHierarchyAndPeopleBelongToUnits() {
        String parent = Fixture.unit("P");
        String child = parent + "_SUB";
        given().auth().oauth2(DevTokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("code", child, "name", "下属科室" + child, "shortName", "科室", "parentCode", parent,
                        "contactEmail", "office@example.gov.cn", "phone", "0571-8888 1234"))
                .post("/api/v1/units").then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/v1/units/" + child))
                .body("parentCode", equalTo(parent));
        given().auth().oauth2(DevTokens.handler(parent)).get("/api/v1/units?parent=" + parent).then().statusCode(200)
                .body("items.code", contains(child));
        given().auth().oauth2(DevTokens.leader()).get("/api/v1/units/" + child).then().statusCode(200)
                .body("name", equalTo("下属科室" + child));
        given().auth().oauth2(DevTokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("code", parent + "X", "name", "孤儿单位", "parentCode", "NO_SUCH"))
                .post("/api/v1/units").then().statusCode(422).body("errors[0].field", equalTo("parentCode"));

        String username = "p." + parent.toLowerCase();
        given().auth().oauth2(DevTokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("username", username, "name", "王小明", "unitCode", child, "role", "HANDLER",
                        "email", username + "@example.gov.cn"))
                .post("/api/v1/people").then().statusCode(201)
                .body("roleLabel", equalTo("承办人"));
        given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/people?unit=" + child).then().statusCode(200)
                .body("items.username", contains(username));
        given().auth().oauth2(DevTokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("username", username, "name", "重名", "unitCode", child, "role", "HANDLER"))
                .post("/api/v1/people").then().statusCode(409).body("code", equalTo("person-exists"));
        assertTrue(Pages.all(DevTokens.supervisor(), "/api/v1/units", 500).stream()
                .anyMatch(u -> child.equals(u.get("code"))));
        given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/units/NO_SUCH").then().statusCode(404);
    }
    private static io.restassured.response.ValidatableResponse patch(String token, String path, String ifMatch, Object body) {
        var req = given().auth().oauth2(token).contentType(ContentType.JSON).body(body);
        if (ifMatch != null) {
            req.header("If-Match", ifMatch);
        }
        return req.patch(path).then();
    }

    @Test
    void anAdminChangesAUnitUnderItsETagAndRetiresItOnlyWhenItHoldsNoOpenWork() {
        String parent = Fixture.unit("Q");
        String child = Fixture.unit("Q");
        String admin = DevTokens.admin();
        String etag = given().auth().oauth2(admin).get("/api/v1/units/" + child).then().statusCode(200)
                .extract().header("ETag");
        given().auth().oauth2(DevTokens.handler(child)).header("If-None-Match", etag).get("/api/v1/units/" + child)
                .then().statusCode(304);

        Map<String, Object> change = Map.of("name", "改名后的单位" + child, "parentCode", parent, "contactEmail", "");
        patch(admin, "/api/v1/units/" + child, null, change).statusCode(428).contentType("application/problem+json");
        patch(admin, "/api/v1/units/" + child, "\"99\"", change).statusCode(412).contentType("application/problem+json");
        patch(DevTokens.supervisor(), "/api/v1/units/" + child, etag, change).statusCode(403);
        String changed = patch(admin, "/api/v1/units/" + child, etag, change).statusCode(200)
                .body("name", equalTo("改名后的单位" + child))
                .body("parentCode", equalTo(parent))
                .body("contactEmail", org.hamcrest.Matchers.nullValue())
                .body("code", equalTo(child))
                .extract().header("ETag");
        org.junit.jupiter.api.Assertions.assertNotEquals(etag, changed);
        // The old tag no longer matches: a second admin working from it gets 412, not a lost update.
        patch(admin, "/api/v1/units/" + child, etag, Map.of("shortName", "旧")).statusCode(412);

        // A unit cannot sit below itself, nor below its own sub-unit; nor take another unit's name.
        patch(admin, "/api/v1/units/" + parent, null, Map.of()).statusCode(428);
        String parentTag = given().auth().oauth2(admin).get("/api/v1/units/" + parent).then().extract().header("ETag");
        patch(admin, "/api/v1/units/" + parent, parentTag, Map.of("parentCode", child)).statusCode(422)
                .body("errors[0].field", equalTo("parentCode"));
        patch(admin, "/api/v1/units/" + parent, parentTag, Map.of("parentCode", parent)).statusCode(422);
        patch(admin, "/api/v1/units/" + parent, parentTag, Map.of("name", "改名后的单位" + child)).statusCode(422)
                .body("errors[0].field", equalTo("name"));
        patch(admin, "/api/v1/units/NO_SUCH_UNIT", "\"0\"", Map.of("name", "无")).statusCode(404);

        // Retiring: refused while the unit holds an assignment in hand, done once it holds none.
        Fixture.dispatched(child, java.util.List.of());
        given().auth().oauth2(admin).header("Accept-Language", "en").contentType(ContentType.JSON).header("If-Match", changed)
                .body(Map.of("active", false)).patch("/api/v1/units/" + child).then().statusCode(409)
                .body("code", equalTo("unit-busy"))
                .body("detail", org.hamcrest.Matchers.containsString("1 open assignments"));
        patch(admin, "/api/v1/units/" + parent, parentTag, Map.of("active", false)).statusCode(200)
                .body("active", equalTo(false));
        // A retired unit can no longer be assigned.
        given().auth().oauth2(DevTokens.supervisor()).contentType(ContentType.JSON)
                .body(Fixture.item(parent, java.util.List.of())).post("/api/v1/tasks").then().statusCode(422)
                .body("errors[0].field", equalTo("leadUnit"));
    }

    @Test
    void aPersonsLocationAnswersAndAnAdminRecordsThatTheyLeft() {
        String unit = Fixture.unit("R");
        String retired = Fixture.unit("R");
        String admin = DevTokens.admin();
        String tag = given().auth().oauth2(admin).get("/api/v1/units/" + retired).then().extract().header("ETag");
        patch(admin, "/api/v1/units/" + retired, tag, Map.of("active", false)).statusCode(200);

        String username = "left." + unit.toLowerCase();
        String location = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("username", username, "name", "赵六", "unitCode", unit, "role", "HANDLER",
                        "email", username + "@example.gov.cn", "phone", "13900000000"))
                .post("/api/v1/people").then().statusCode(201).extract().header("Location");
        String etag = given().auth().oauth2(DevTokens.supervisor()).get(location).then().statusCode(200)
                .body("username", equalTo(username)).body("active", equalTo(true)).extract().header("ETag");
        given().auth().oauth2(DevTokens.supervisor()).header("If-None-Match", etag).get(location).then().statusCode(304);
        given().auth().oauth2(DevTokens.handler(unit)).get(location).then().statusCode(403);
        given().auth().oauth2(admin).get("/api/v1/people/" + java.util.UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");

        patch(admin, location, etag, Map.of("unitCode", retired)).statusCode(422).body("errors[0].field", equalTo("unitCode"));
        patch(admin, location, etag, Map.of("active", false, "phone", "", "title", "原科员")).statusCode(200)
                .body("active", equalTo(false)).body("phone", org.hamcrest.Matchers.nullValue())
                .body("title", equalTo("原科员")).body("username", equalTo(username));
        given().auth().oauth2(DevTokens.service()).get("/api/v1/people?unit=" + unit).then().statusCode(200)
                .body("items.find { it.username == '" + username + "' }.active", equalTo(false));
        // Who is in post, and who has left: the lists filter by it.
        given().auth().oauth2(DevTokens.service()).get("/api/v1/people?active=true&unit=" + unit).then().statusCode(200)
                .body("items.username", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(username)));
        given().auth().oauth2(DevTokens.service()).get("/api/v1/people?active=false&unit=" + unit).then().statusCode(200)
                .body("items.username", contains(username));
        assertTrue(Pages.all(admin, "/api/v1/units?active=false", 500).stream().anyMatch(u -> retired.equals(u.get("code"))));
        assertTrue(Pages.all(admin, "/api/v1/units?active=true", 500).stream().noneMatch(u -> retired.equals(u.get("code"))));
        assertTrue(Pages.all(admin, "/api/v1/units?active=true", 500).stream().anyMatch(u -> unit.equals(u.get("code"))));
    }

    @Test
    void unitsAndPeopleComePageByPageEachOnceInOrder() {
        String parent = Fixture.unit("PG");
        String admin = DevTokens.admin();
        List<String> codes = new ArrayList<>();
        List<String> usernames = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String code = parent + "_" + i;
            codes.add(code);
            given().auth().oauth2(admin).contentType(ContentType.JSON)
                    .body(Map.of("code", code, "name", "分页科室" + code, "parentCode", parent))
                    .post("/api/v1/units").then().statusCode(201);
            for (int j = 0; j < 2; j++) {
                String username = "pg." + code.toLowerCase() + "." + j;
                usernames.add(username);
                given().auth().oauth2(admin).contentType(ContentType.JSON)
                        .body(Map.of("username", username, "name", "分页人员" + j, "unitCode", code, "role", "HANDLER"))
                        .post("/api/v1/people").then().statusCode(201);
            }
        }
        assertEquals(codes, Pages.all(admin, "/api/v1/units?parent=" + parent, 2).stream()
                .map(u -> u.get("code")).toList());
        assertEquals(List.of("pg." + codes.get(3).toLowerCase() + ".0", "pg." + codes.get(3).toLowerCase() + ".1"),
                Pages.all(admin, "/api/v1/people?unit=" + codes.get(3), 1).stream().map(p -> p.get("username")).toList());
        // All people, by unit then username, three to a page: ours come in that order, each once.
        List<Object> everyone = Pages.all(DevTokens.service(), "/api/v1/people", 3).stream()
                .map(p -> p.get("username")).toList();
        assertEquals(usernames, everyone.stream().filter(usernames::contains).toList());
        assertEquals(new HashSet<>(everyone).size(), everyone.size());

        String unitsCursor = given().auth().oauth2(admin).get("/api/v1/units?parent=" + parent + "&limit=2").then()
                .statusCode(200).extract().path("nextCursor");
        given().auth().oauth2(admin).queryParam("cursor", unitsCursor).get("/api/v1/people").then().statusCode(400)
                .body("code", equalTo("bad-cursor"));
        given().auth().oauth2(admin).queryParam("cursor", "not-a-cursor").get("/api/v1/units").then().statusCode(400)
                .body("code", equalTo("bad-cursor"));
        for (String limit : List.of("0", "501")) {
            given().auth().oauth2(admin).queryParam("limit", limit).get("/api/v1/units").then().statusCode(422)
                    .body("errors[0].field", equalTo("limit"));
        }
    }
}
