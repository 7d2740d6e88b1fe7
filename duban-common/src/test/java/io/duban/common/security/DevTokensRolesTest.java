package io.duban.common.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duban.testing.DevTokens;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The test tokens know every role: the authorization matrix calls each operation as each of them. */
class DevTokensRolesTest {

    @Test
    void devTokensListEveryRoleInTheSpecsOrder() {
        assertEquals(Stream.of(Role.values()).map(Role::group).toList(), DevTokens.ROLES);
    }
}
