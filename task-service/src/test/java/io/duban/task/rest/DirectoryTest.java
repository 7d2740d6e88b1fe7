package io.duban.task.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.duban.task.support.Fixture;
import io.duban.testing.DevTokens;
import io.duban.testing.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
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
                .body("code", contains(child));
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
                .body("username", contains(username));
        given().auth().oauth2(DevTokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("username", username, "name", "重名", "unitCode", child, "role", "HANDLER"))
                .post("/api/v1/people").then().statusCode(409).body("code", equalTo("person-exists"));
        given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/units").then().body("code", hasItem(child));
        given().auth().oauth2(DevTokens.supervisor()).get("/api/v1/units/NO_SUCH").then().statusCode(404);
    }
}
