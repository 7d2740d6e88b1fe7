package io.duban.notification.directory;

import jakarta.annotation.Nullable;
import java.util.List;
import java.util.Optional;

/**
 * One unit's contacts as task-service's directory gives them: the unit's own e-mail and phone, and its
 * people. Only what deliveries need.
 */
public record UnitContacts(String code, String name, @Nullable String email, @Nullable String phone,
        List<Person> people) {

    public UnitContacts {
        people = List.copyOf(people);
    }

    /** One person of the unit; role is the JWT role name (handler, supervisor, ...). */
    public record Person(String username, String name, @Nullable String role, @Nullable String email,
            @Nullable String phone) {
    }

    public Optional<Person> person(String username) {
        return people.stream().filter(p -> p.username().equals(username)).findFirst();
    }
}
