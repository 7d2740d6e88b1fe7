package io.duban.common.domain;

/** Where a supervision item comes from (事项来源). */
public enum SourceType implements Labelled {
    LEADER_INSTRUCTION("领导批示"),
    MEETING_DECISION("会议议定"),
    SUPERIOR_ASSIGNMENT("上级交办"),
    WORK_REPORT("工作报告"),
    PROPOSAL("建议提案"),
    PUBLIC_APPEAL("群众诉求"),
    OTHER("其他");

    private final String label;

    SourceType(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
