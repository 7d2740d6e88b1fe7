package io.duban.common.security;

import io.duban.common.domain.Labelled;

/** The roles of SPEC.md; the JWT `groups` claim carries their lower-case names. */
@org.eclipse.microprofile.openapi.annotations.media.Schema(name = "PersonRole")
public enum Role implements Labelled {
    ADMIN("admin", "系统管理员"),
    SUPERVISOR("supervisor", "督查室"),
    LEADER("leader", "领导"),
    HANDLER("handler", "承办人"),
    SERVICE("service", "服务账号");

    private final String group;
    private final String label;

    Role(String group, String label) {
        this.group = group;
        this.label = label;
    }

    public String group() {
        return group;
    }

    @Override
    public String label() {
        return label;
    }
}
