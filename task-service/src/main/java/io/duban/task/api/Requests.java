package io.duban.task.api;

import io.duban.common.domain.Rating;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;

/** Bodies of the lifecycle actions. */
public final class Requests {

    private Requests() {
    }

    /** 退回: why the unit is not responsible. */
    public record Decline(@NotBlank @Size(max = 1000) String reason) {
    }

    /** 转办: the unit that takes the assignment over. */
    public record Reassign(@NotBlank @Size(max = 32) String toUnit, @Size(max = 1000) String note) {
    }

    /** 进展反馈. */
    public record Progress(
            @NotBlank @Size(max = 5000) String content,
            @NotNull @Min(0) @Max(100) Integer percent,
            @Size(max = 2000) String nextSteps,
            @Size(max = 2000) String helpNeeded) {
    }

    /** 申请办结 with the unit's summary of what was done. */
    public record Submit(@NotBlank @Size(max = 5000) String summary) {
    }

    public enum ReviewDecision {
        APPROVE, RETURN
    }

    /** 审核: approve with a rating (办结), or return for rework with a reason (退回重办). */
    public record Review(@NotNull ReviewDecision decision, Rating rating, @Size(max = 2000) String comment) {
    }

    /** 延期申请. */
    public record ExtensionAsk(@NotNull LocalDate requestedDeadline, @NotBlank @Size(max = 2000) String reason) {
    }

    /** The office's decision on an extension request. */
    public record ExtensionDecision(@Size(max = 2000) String comment) {
    }

    /** 领导批示. */
    public record Instruct(@NotBlank @Size(max = 2000) String content) {
    }

    /** 催办: one unit, or every unit still working when `unitCode` is omitted. */
    public record Urge(@Size(max = 32) String unitCode, @NotBlank @Size(max = 1000) String message) {
    }

    /** 撤销. */
    public record Cancel(@NotBlank @Size(max = 1000) String reason) {
    }
}
