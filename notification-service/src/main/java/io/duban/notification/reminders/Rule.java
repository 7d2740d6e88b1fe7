package io.duban.notification.reminders;

/** The reminder rules of a policy; with step and day they key the schedule (planned_reminder). */
public enum Rule {
    /** N working days before the deadline; step = N. */
    BEFORE_DEADLINE("DEADLINE_REMINDER"),
    /** On the deadline day. */
    DEADLINE_DAY("DEADLINE_REMINDER"),
    /** Each working day while overdue (planned one day at a time). */
    OVERDUE("OVERDUE_REMINDER"),
    /** Not accepted (签收) within N working days of dispatch; step = N. */
    NOT_ACCEPTED("ACCEPTANCE_REMINDER"),
    /** A periodic progress report (定期反馈) is late. */
    PROGRESS_LATE("PROGRESS_REMINDER"),
    /** Escalation up the chain; step = the level's position (1 = HANDLER). */
    ESCALATION("ESCALATION");

    private final String kind;

    Rule(String kind) {
        this.kind = kind;
    }

    /** The notice kind (NotificationCreated.kind, the delivery template's name). */
    public String kind() {
        return kind;
    }

    /**
     * Announces a count that is only true on its day ("3 working days left"): a row of such a rule
     * that could not go out on its day (the service was down all day) is dropped, not sent late.
     */
    public boolean onlyOnItsDay() {
        return this == BEFORE_DEADLINE || this == DEADLINE_DAY || this == OVERDUE;
    }
}
