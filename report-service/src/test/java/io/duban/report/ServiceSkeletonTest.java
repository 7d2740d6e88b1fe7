package io.duban.report;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** The skeleton runs: it is ready, documents its API and says honestly what it offers. */
@QuarkusTest
class ServiceSkeletonTest {

    @Test
    void isReadyWithoutADatabase() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", is("UP"));
    }

    @Test
    void publishesItsOpenApiDocumentWithItsTitle() {
        given().queryParam("format", "json")
                .when().get("/q/openapi")
                .then().statusCode(200)
                .contentType(ContentType.JSON)
                .body("info.title", is("Duban report-service API"))
                .body("paths", hasKey("/api/v1/service-info"));
    }

    @Test
    void serviceInfoNamesTheServiceAndSaysItIsASkeleton() {
        given().when().get("/api/v1/service-info")
                .then().statusCode(200)
                .contentType(ContentType.JSON)
                .body("service", is("report-service"))
                .body("status", is("骨架：统计、超期清单、排名、通报与导出将在后续版本提供"));
    }
}
