package org.scow.auth.ldap.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.EnumSet;
import java.util.Optional;

import org.junit.Test;
import org.scow.api.auth.AuthBackend;
import org.scow.api.auth.AuthBackend.Capability;
import org.scow.api.auth.AuthException;
import org.scow.api.auth.AuthException.Reason;
import org.scow.api.auth.UserIdentity;

/** Login (search + bind), look-up and the admin-group mapping against the real slapd. */
public class LdapLoginIT extends LdapITSupport {

    @Test
    public void aliceLogsInWithHerPosixDataAndIsPlatformAdmin() throws Exception {
        AuthBackend b = backend();
        UserIdentity alice = b.authenticate("alice", pw("alicepass")).orElseThrow();
        assertEquals("alice", alice.userId());
        assertEquals("Alice Test", alice.name());
        assertEquals("alice@example.org", alice.email());
        assertEquals(Long.valueOf(10001), alice.uid());
        assertEquals(Long.valueOf(10000), alice.gid());
        assertEquals("/home/alice", alice.homeDirectory());
        assertTrue(alice.groups().toString(), alice.groups().contains("hpcusers")); // posixGroup, memberUid + gid
        assertTrue(alice.groups().toString(), alice.groups().contains("portal-admins")); // groupOfNames
        assertTrue(alice.groups().toString(), alice.groups().contains(LdapSettings.DEFAULT_ADMIN_GROUP_NAME));
        assertEquals(EnumSet.allOf(Capability.class), b.capabilities());
    }

    @Test
    public void bobIsNoAdmin() throws Exception {
        UserIdentity bob = backend().authenticate("bob", pw("bobpass")).orElseThrow();
        assertTrue(bob.groups().contains("hpcusers"));
        assertFalse(bob.groups().toString(), bob.groups().contains("portal-admins"));
        assertFalse(bob.groups().toString(), bob.groups().contains(LdapSettings.DEFAULT_ADMIN_GROUP_NAME));
    }

    @Test
    public void adminGroupNameIsConfigurableAndMappingCanBeOff() throws Exception {
        assertTrue(backend("adminGroupName", "admins").authenticate("alice", pw("alicepass")).orElseThrow()
                .groups().contains("admins"));
        UserIdentity unmapped = backend("adminGroupDn", "").authenticate("alice", pw("alicepass")).orElseThrow();
        assertFalse(unmapped.groups().contains(LdapSettings.DEFAULT_ADMIN_GROUP_NAME));
        assertTrue(unmapped.groups().contains("portal-admins"));
    }

    @Test
    public void wrongPasswordUnknownUserAndHostileIdsGiveEmpty() throws Exception {
        AuthBackend b = backend();
        assertEquals(Optional.empty(), b.authenticate("alice", pw("wrong")));
        assertEquals(Optional.empty(), b.authenticate("alice", pw("")));
        assertEquals(Optional.empty(), b.authenticate("alice", pw("bobpass")));
        assertEquals(Optional.empty(), b.authenticate("nosuchuser", pw("alicepass")));
        for (String hostile : new String[] {"*", "alice)(uid=*", "*)(|(uid=*", "alice*", "a*", "alice\\2a",
                "cn=admin,dc=example,dc=org", "admin"}) {
            assertEquals(hostile, Optional.empty(), b.authenticate(hostile, pw("alicepass")));
            assertEquals(hostile, Optional.empty(), b.authenticate(hostile, pw("adminpass")));
        }
    }

    @Test
    public void getUser() throws Exception {
        AuthBackend b = backend();
        UserIdentity carol = b.getUser("carol").orElseThrow();
        assertEquals(Long.valueOf(10003), carol.uid());
        assertTrue(carol.groups().contains("hpcusers"));
        assertEquals(Optional.empty(), b.getUser("nosuchuser"));
        assertEquals(Optional.empty(), b.getUser("*"));
    }

    @Test
    public void anonymousSearchAllowsLoginButNotUserManagement() throws Exception {
        AuthBackend b = backend("bindDn", "", ".bindPassword", "");
        assertTrue(b.authenticate("alice", pw("alicepass")).isPresent());
        assertEquals(Optional.empty(), b.authenticate("alice", pw("nope")));
        assertEquals(EnumSet.of(Capability.GET_USER, Capability.CHANGE_PASSWORD), b.capabilities());
    }

    @Test
    public void aWrongServicePasswordIsAnOutageNotAWrongUserPassword() throws Exception {
        AuthBackend b = backend(".bindPassword", "not-the-admin-password");
        AuthException e = assertThrows(AuthException.class, () -> b.authenticate("alice", pw("alicepass")));
        assertEquals(Reason.UNAVAILABLE, e.reason());
        assertTrue(e.getMessage(), e.getMessage().contains("invalid credentials"));
    }

    @Test
    public void startTlsIsReallyRequested() throws Exception {
        // ldap-up.sh's slapd has no TLS: with startTls the connection must fail instead of falling back to clear text
        AuthBackend b = backend("startTls", true, "trustAll", true);
        AuthException e = assertThrows(AuthException.class, () -> b.authenticate("alice", pw("alicepass")));
        assertEquals(Reason.UNAVAILABLE, e.reason());
    }
}
