package io.duban.task.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.duban.common.calendar.HolidayCnFormat;
import io.duban.task.support.Fixture;
import io.duban.testing.DevTokens;
import io.duban.testing.PostgresTestResource;
import io.duban.testing.SettableClock;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An item's representation shows a light computed from today and the calendar, so its ETag folds
 * both in: If-None-Match answers 304 only while the light is still what the client holds, while
 * If-Match (lost-update protection) compares the version alone.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class ItemCachingTest {

    @Inject
    SettableClock clock;

    @AfterEach
    void realTime() {
        clock.reset();
    }

    private static String get(String id, String ifNoneMatch, int status) {
        var req = given().auth().oauth2(DevTokens.supervisor());
        if (ifNoneMatch != null) {
            req.header("If-None-Match", ifNoneMatch);
        }
        return req.get("/api/v1/tasks/" + id).then().statusCode(status).extract().header("ETag");
    }

    @Test
    void aNewDayIsANewRepresentationButTheSameVersion() {
        clock.pin(LocalDate.of(2026, 11, 20));
        String id = Fixture.dispatched(Fixture.unit("C"), List.of());
        String friday = get(id, null, 200);
        assertEquals(friday, get(id, friday, 304), "unchanged on the same day");

        clock.pin(LocalDate.of(2026, 11, 23));
        String monday = get(id, friday, 200);
        assertNotEquals(friday, monday, "the light may have changed overnight, so the tag did");
        assertEquals(Fixture.version(friday), Fixture.version(monday), "the item itself did not change");

        // Friday's tag is still good for If-Match: nobody changed the item since.
        given().auth().oauth2(DevTokens.supervisor()).contentType(ContentType.JSON).header("If-Match", friday)
                .body(Map.of("message", "请加快办理")).post("/api/v1/tasks/" + id + "/urge").then().statusCode(200);
        // ... and now it is stale.
        given().auth().oauth2(DevTokens.supervisor()).contentType(ContentType.JSON).header("If-Match", friday)
                .body(Map.of("message", "请加快办理")).post("/api/v1/tasks/" + id + "/urge").then().statusCode(412);
    }

    @Test
    void aCalendarImportIsANewRepresentation() {
        String id = Fixture.dispatched(Fixture.unit("C"), List.of());
        String before = get(id, null, 200);
        assertEquals(before, get(id, before, 304));
        // Importing the same official year again leaves every deadline as it was, but is a new revision.
        given().auth().oauth2(DevTokens.admin()).contentType(ContentType.JSON).body(HolidayCnFormat.shippedJson(2026))
                .put("/api/v1/calendar/2026").then().statusCode(200);
        String after = get(id, before, 200);
        assertNotEquals(before, after);
        assertEquals(Fixture.version(before), Fixture.version(after));
    }
}
