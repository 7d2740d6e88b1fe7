package io.duban.task.domain;

import io.duban.common.domain.Labelled;

/** What a timeline entry records, with the words people read in the history (办理记录). */
public enum TimelineAction implements Labelled {
    CREATE("立项"),
    EDIT("修改"),
    DISPATCH("交办"),
    ACCEPT("签收"),
    DECLINE("退回"),
    REASSIGN("转办"),
    REPORT_PROGRESS("反馈进展"),
    SUBMIT("申请办结"),
    APPROVE("审核通过（办结）"),
    RETURN("退回重办"),
    REQUEST_EXTENSION("申请延期"),
    APPROVE_EXTENSION("批准延期"),
    REJECT_EXTENSION("驳回延期"),
    INSTRUCT("领导批示"),
    URGE("催办"),
    CANCEL("撤销"),
    RECOMPUTE_DEADLINE("按新日历重算期限");

    private final String label;

    TimelineAction(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
