package io.duban.common.domain;

import java.util.List;

/** One unit's part in its lifecycle; the transitions are task-service's Lifecycle. */
public enum AssignmentStatus implements Labelled {
    /** Planned on a draft item; not yet dispatched, invisible to the unit. */
    PLANNED("待交办"),
    PENDING_ACCEPTANCE("待签收"),
    IN_PROGRESS("办理中"),
    SUBMITTED("申请办结"),
    DONE("已办结"),
    DECLINED("已退回"),
    REASSIGNED("已转办"),
    CANCELLED("已撤销");

    private final String label;

    AssignmentStatus(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }

    /** No longer the unit's: moved to another unit, or withdrawn with the item. */
    public static final List<AssignmentStatus> GONE = List.of(REASSIGNED, CANCELLED);

    /**
     * Still the unit's open business (未办结): to accept, being worked on, submitted and awaiting
     * review, or declined and awaiting reassignment. These have a warning light, hear of a leader's
     * instruction, and count toward the unit's open items.
     */
    public static final List<AssignmentStatus> OPEN = List.of(PENDING_ACCEPTANCE, IN_PROGRESS, SUBMITTED, DECLINED);

    /** What the unit has in hand (待办): the mobile feed's default list. A declined one is back with the office. */
    public static final List<AssignmentStatus> IN_HAND = List.of(PENDING_ACCEPTANCE, IN_PROGRESS, SUBMITTED);

    /** Not moved away nor withdrawn: planned on a draft, or dispatched and held by the unit. */
    public boolean isLive() {
        return !GONE.contains(this);
    }

    /** Dispatched to the unit and still its own (done included): what unit actions and urges address. */
    public boolean isHeld() {
        return isLive() && this != PLANNED;
    }

    public boolean isOpen() {
        return OPEN.contains(this);
    }

    /** Open and not yet submitted: an assist unit in this state holds up the lead unit's submission. */
    public boolean owesSubmission() {
        return isOpen() && this != SUBMITTED;
    }
}
