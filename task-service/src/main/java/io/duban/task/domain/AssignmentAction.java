package io.duban.task.domain;

/** What can be done to one unit's assignment. */
public enum AssignmentAction {
    DISPATCH,
    ACCEPT,
    DECLINE,
    REASSIGN,
    REPORT_PROGRESS,
    REQUEST_EXTENSION,
    URGE,
    SUBMIT,
    RETURN,
    COMPLETE,
    CANCEL
}
