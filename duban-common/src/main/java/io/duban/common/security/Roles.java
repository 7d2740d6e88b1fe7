package io.duban.common.security;

/** Role names as they appear in the JWT `groups` claim and in @RolesAllowed. */
public final class Roles {
    public static final String ADMIN = "admin";
    public static final String SUPERVISOR = "supervisor";
    public static final String LEADER = "leader";
    public static final String HANDLER = "handler";
    public static final String SERVICE = "service";

    private Roles() {
    }
}
