package io.duban.task.api;

import io.duban.common.security.Role;
import io.duban.task.domain.Person;
import java.util.UUID;

public record PersonView(UUID id, String username, String name, String unitCode, Role role, String roleLabel,
        String title, String email, String phone, boolean active) {

    public static PersonView of(Person p) {
        return new PersonView(p.id, p.username, p.name, p.unitCode, p.role, p.role.label(), p.title, p.email,
                p.phone, p.active);
    }
}
