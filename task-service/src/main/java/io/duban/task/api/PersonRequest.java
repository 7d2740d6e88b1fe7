package io.duban.task.api;

import io.duban.common.security.Role;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

public record PersonRequest(
        @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._@-]+", message = "{duban.username}") String username,
        @NotBlank @Size(max = 50) String name,
        @NotBlank @Size(max = 32) String unitCode,
        @NotNull Role role,
        @Size(max = 50) String title,
        @Email @Size(max = 254) String email,
        @Size(max = 32) @Pattern(regexp = "[0-9+\\- ]*", message = "{duban.phone}") String phone) {
}
