package io.duban.task.api;

import io.duban.task.domain.Person;
import io.duban.task.domain.PersonRole;
import java.util.UUID;

public record PersonView(UUID id, String username, String name, String unitCode, PersonRole role, String roleLabel,
        String title, String email, String phone) {

    public static PersonView of(Person p) {
        return new PersonView(p.id, p.username, p.name, p.unitCode, p.role, p.role.label(), p.title, p.email,
                p.phone);
    }
}
