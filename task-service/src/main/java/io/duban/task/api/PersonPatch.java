package io.duban.task.api;

import io.duban.common.security.Role;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Changes to a person (the username never changes: it is the subject of their tokens). An omitted (or
 * null) field stays as it is; an empty string clears an optional one (title, email, phone).
 * {@code active: false} records that the person has left: they stay in the records and get no reminders.
 */
public record PersonPatch(
        @Size(max = 50) @Pattern(regexp = "[\\s\\S]*\\S[\\s\\S]*", message = "{jakarta.validation.constraints.NotBlank.message}")
        String name,
        @Size(min = 1, max = 32) String unitCode,
        Role role,
        @Size(max = 50) String title,
        @Email @Size(max = 254) String email,
        @Size(max = 32) @Pattern(regexp = "[0-9+\\- ]*", message = "{duban.phone}") String phone,
        Boolean active) {
}
