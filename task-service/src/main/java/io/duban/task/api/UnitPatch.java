package io.duban.task.api;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Changes to a unit (its code never changes: other systems keep it). An omitted (or null) field stays as
 * it is; an empty string clears an optional one (shortName, parentCode, contactEmail, phone).
 * {@code active: false} retires a unit that holds no open work: it can no longer be assigned.
 */
public record UnitPatch(
        @Size(max = 100) @Pattern(regexp = "[\\s\\S]*\\S[\\s\\S]*", message = "{jakarta.validation.constraints.NotBlank.message}")
        String name,
        @Size(max = 50) String shortName,
        @Size(max = 32) String parentCode,
        @Email @Size(max = 254) String contactEmail,
        @Size(max = 32) @Pattern(regexp = "[0-9+\\- ]*", message = "{duban.phone}") String phone,
        Boolean active) {
}
