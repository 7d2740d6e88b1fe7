package io.duban.task.api;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

public record UnitRequest(
        @NotBlank @Size(max = 32) @Pattern(regexp = "[A-Z][A-Z0-9_]*", message = "{duban.unitCode}") String code,
        @NotBlank @Size(max = 100) String name,
        @Size(max = 50) String shortName,
        @Size(max = 32) String parentCode,
        @Email @Size(max = 254) String contactEmail,
        @Size(max = 32) @Pattern(regexp = "[0-9+\\- ]*", message = "{duban.phone}") String phone) {
}
