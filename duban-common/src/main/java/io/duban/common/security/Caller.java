package io.duban.common.security;

import java.util.Set;

/** Who is calling: the JWT subject, their roles and (for handlers) their unit. */
public record Caller(String username, Set<String> roles, String unitCode) {

    public boolean is(Role role) {
        return roles.contains(role.group());
    }

    /**
     * Sees every item: the office, leaders and other services. Administrators keep the directory
     * and the calendar, not the items (SPEC's role table).
     */
    public boolean seesAll() {
        return is(Role.SUPERVISOR) || is(Role.LEADER) || is(Role.SERVICE);
    }

    /** A handler who sees only their own unit's assignments. */
    public boolean unitScoped() {
        return !seesAll();
    }

    /** The role recorded in the timeline: the most powerful one the caller holds. */
    public String primaryRole() {
        for (Role r : Role.values()) {
            if (is(r)) {
                return r.group();
            }
        }
        return "unknown";
    }
}
