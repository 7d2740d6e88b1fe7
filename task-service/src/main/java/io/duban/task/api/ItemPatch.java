package io.duban.task.api;

import io.duban.common.domain.FeedbackCycle;
import io.duban.common.domain.Priority;
import io.duban.common.domain.SourceType;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.util.List;

/**
 * Changes to an item: an omitted (or null) field stays as it is; an empty string clears an optional
 * text field (description, sourceRef, category, responsibleLeader). Deadline (a date, or working days)
 * and units can be changed only on a draft; once dispatched, deadlines move by extension and units
 * by reassignment.
 */
public record ItemPatch(
        @Size(max = 200) @Pattern(regexp = "[\\s\\S]*\\S[\\s\\S]*", message = "{jakarta.validation.constraints.NotBlank.message}")
        String title,
        @Size(max = 5000) String description,
        SourceType sourceType,
        @Size(max = 100) String sourceRef,
        Priority priority,
        @Size(max = 50) String category,
        @Size(max = 50) String responsibleLeader,
        LocalDate deadline,
        @Min(0) @Max(250) Integer deadlineWorkingDays,
        @Size(min = 1, max = 32) String leadUnit,
        @Size(max = 30) List<@NotBlank @Size(max = 32) String> assistUnits,
        FeedbackCycle feedbackCycle) {
}
