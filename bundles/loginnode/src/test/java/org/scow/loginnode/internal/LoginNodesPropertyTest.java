package org.scow.loginnode.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;
import org.scow.loginnode.LoginNode;

public class LoginNodesPropertyTest {
    @Test
    public void namedAndBareEntries() {
        assertEquals(List.of(new LoginNode("login0", "127.0.0.1", 2222), new LoginNode("login1", "ln1.example.org", 22),
                new LoginNode("10.0.0.7", "10.0.0.7", 22), new LoginNode("v6", "::1", 2200)),
                LoginNodesProperty.parse("login0=127.0.0.1:2222, login1=ln1.example.org,10.0.0.7, v6=[::1]:2200"));
        assertTrue(LoginNodesProperty.parse(" ").isEmpty());
        assertTrue(LoginNodesProperty.parse(null).isEmpty());
    }

    @Test
    public void badEntriesAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LoginNodesProperty.parse("a=h:99999"))
                .getMessage().contains("bad port in 'a=h:99999'"));
        assertThrows(IllegalArgumentException.class, () -> LoginNodesProperty.parse("a=h;rm -rf"));
        assertThrows(IllegalArgumentException.class, () -> LoginNodesProperty.parse("a=h1,a=h2"));
        assertThrows(IllegalArgumentException.class, () -> LoginNodesProperty.parse("-x=h1"));
    }
}
