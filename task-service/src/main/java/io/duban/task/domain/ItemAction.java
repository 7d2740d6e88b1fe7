package io.duban.task.domain;

/** What can be done to an item as a whole. */
public enum ItemAction {
    EDIT,
    DISPATCH,
    /** Unit-level work on a dispatched item: accept, decline, report, submit, extension, reassign. */
    WORK,
    URGE,
    INSTRUCT,
    SUBMIT,
    APPROVE,
    RETURN,
    CANCEL
}
