package io.duban.task.api;

import io.duban.task.domain.Unit;

public record UnitView(String code, String name, String shortName, String parentCode, String contactEmail,
        String phone, boolean active) {

    public static UnitView of(Unit u) {
        return new UnitView(u.code, u.name, u.shortName, u.parentCode, u.contactEmail, u.phone, u.active);
    }
}
