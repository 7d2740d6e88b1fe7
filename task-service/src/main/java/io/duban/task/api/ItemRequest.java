package io.duban.task.api;

import io.duban.common.domain.FeedbackCycle;
import io.duban.common.domain.Priority;
import io.duban.common.domain.SourceType;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.util.List;

/**
 * Registers a supervision item (立项) as a draft; dispatch sends it to the units. The deadline is
 * either a date or a number of working days (工作日), counted from the day of dispatch.
 */
public record ItemRequest(
        @NotBlank @Size(max = 200) String title,
        @Size(max = 5000) String description,
        @NotNull SourceType sourceType,
        @Size(max = 100) String sourceRef,
        Priority priority,
        @Size(max = 50) String category,
        @Size(max = 50) String responsibleLeader,
        LocalDate deadline,
        @Min(0) @Max(250) Integer deadlineWorkingDays,
        @NotBlank @Size(max = 32) String leadUnit,
        @Size(max = 30) List<@NotBlank @Size(max = 32) String> assistUnits,
        FeedbackCycle feedbackCycle,
        @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._-]*", message = "{duban.externalSystem}") String externalSystem,
        @Size(max = 128) String externalRef) {
}
