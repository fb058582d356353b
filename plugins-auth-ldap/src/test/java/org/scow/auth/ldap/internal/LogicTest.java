package org.scow.auth.ldap.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.scow.auth.ldap.internal.Configs.config;

import java.util.EnumSet;
import java.util.Optional;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import org.junit.Test;
import org.scow.api.auth.AuthBackend.Capability;
import org.scow.api.auth.AuthException;
import org.scow.api.auth.AuthException.Reason;
import org.scow.api.auth.NewUser;

/** Entry building, numbering, error mapping and input checks: everything that needs no directory. */
public class LogicTest {

    @Test
    public void userEntryIsInetOrgPersonPosixAccountShadowAccount() throws Exception {
        LdapSettings s = LdapSettings.from(config("loginShell", "/bin/zsh"));
        DN dn = s.newUserDn("dave");
        Entry e = LdapDirectory.userEntry(s, dn, "dave", "Dave van Test", "dave@example.org", 20005, 20005,
                "/home/dave");
        assertEquals(dn, e.getParsedDN());
        for (String oc : new String[] {"inetOrgPerson", "posixAccount", "shadowAccount"}) {
            assertTrue(oc, e.hasObjectClass(oc));
        }
        assertEquals("dave", e.getAttributeValue("uid"));
        assertEquals("Dave van Test", e.getAttributeValue("cn"));
        assertEquals("Test", e.getAttributeValue("sn"));
        assertEquals("Dave", e.getAttributeValue("givenName"));
        assertEquals("dave@example.org", e.getAttributeValue("mail"));
        assertEquals(Long.valueOf(20005), e.getAttributeValueAsLong("uidNumber"));
        assertEquals(Long.valueOf(20005), e.getAttributeValueAsLong("gidNumber"));
        assertEquals("/home/dave", e.getAttributeValue("homeDirectory"));
        assertEquals("/bin/zsh", e.getAttributeValue("loginShell"));
        assertTrue(e.getAttributeValueAsLong("shadowLastChange") > 19000);
        assertFalse("no password in the add: it is set hashed by Password Modify", e.hasAttribute("userPassword"));
    }

    @Test
    public void userEntryWithoutMailAndWithCnAsNamingAttribute() throws Exception {
        LdapSettings s = LdapSettings.from(config("userIdAttribute", "cn"));
        Entry e = LdapDirectory.userEntry(s, s.newUserDn("erin"), "erin", "Erin", null, 1, 2, "/home/erin");
        assertEquals("erin", e.getAttributeValue("cn"));
        assertEquals("erin", e.getAttributeValue("uid"));
        assertEquals("Erin", e.getAttributeValue("displayName"));
        assertEquals("Erin", e.getAttributeValue("sn"));
        assertFalse(e.hasAttribute("mail"));
        assertFalse(e.hasAttribute("givenName"));
    }

    @Test
    public void perUserGroupEntry() throws Exception {
        Entry g = LdapDirectory.groupEntry(new DN("cn=dave,ou=Groups,dc=example,dc=org"), "dave", 20005);
        assertTrue(g.hasObjectClass("posixGroup"));
        assertEquals("dave", g.getAttributeValue("cn"));
        assertEquals("20005", g.getAttributeValue("gidNumber"));
        assertArrayEquals(new String[] {"dave"}, g.getAttributeValues("memberUid"));
    }

    @Test
    public void numberingTakesTheHighestOfStartUsedAndCounter() {
        assertEquals(20000, UidAllocator.candidate(20000, 19999, null)); // empty directory
        assertEquals(20000, UidAllocator.candidate(20000, 10003, null)); // only lower ids
        assertEquals(20043, UidAllocator.candidate(20000, 20042, null)); // users made by hand
        assertEquals(20050, UidAllocator.candidate(20000, 20042, 20050L)); // counter ahead (failed creations)
        assertEquals(20043, UidAllocator.candidate(20000, 20042, 20010L)); // counter behind (ldapadd by hand)
    }

    @Test
    public void counterEntry() throws Exception {
        Entry c = UidAllocator.counterEntry("cn=scow-uid-counter,dc=example,dc=org", 20001);
        assertTrue(c.hasObjectClass("organizationalRole"));
        assertTrue(c.hasObjectClass("extensibleObject"));
        assertEquals("scow-uid-counter", c.getAttributeValue("cn"));
        assertEquals("20001", c.getAttributeValue("uidNumber"));
    }

    @Test
    public void errorMapping() {
        assertTrue(LdapErrors.isUnreachable(ResultCode.CONNECT_ERROR));
        assertTrue(LdapErrors.isUnreachable(ResultCode.SERVER_DOWN));
        assertTrue(LdapErrors.isUnreachable(ResultCode.TIMEOUT));
        assertFalse(LdapErrors.isUnreachable(ResultCode.INVALID_CREDENTIALS));
        assertTrue(LdapErrors.isCredentialFailure(ResultCode.INVALID_CREDENTIALS));
        assertFalse(LdapErrors.isCredentialFailure(ResultCode.SERVER_DOWN));
        AuthException e = LdapErrors.unavailable("ldap://h:389", "authenticating",
                new LDAPException(ResultCode.CONNECT_ERROR, "Connection refused"));
        assertEquals(Reason.UNAVAILABLE, e.reason());
        assertTrue(e.getMessage(), e.getMessage().contains("ldap://h:389 unavailable while authenticating"));
        assertTrue(e.getMessage(), e.getMessage().contains("connect error"));
        AuthException refused = LdapErrors.unavailable("ldap://h", "x",
                new LDAPException(ResultCode.INVALID_CREDENTIALS, "bad service password"));
        assertEquals(Reason.UNAVAILABLE, refused.reason());
        assertTrue(refused.getMessage().contains("refused"));
    }

    /** A directory object whose pools never connect (no initial connections, closed port): input checks only. */
    private static LdapDirectory offline(Object... kv) throws Exception {
        Object[] all = new Object[kv.length + 4];
        all[0] = "urls";
        all[1] = "ldap://127.0.0.1:1";
        all[2] = "poolInitialSize";
        all[3] = 0;
        System.arraycopy(kv, 0, all, 4, kv.length);
        return new LdapDirectory(LdapSettings.from(config(all)));
    }

    @Test
    public void badInputNeverReachesTheDirectory() throws Exception {
        try (LdapDirectory d = offline("bindDn", "cn=admin,dc=example,dc=org")) {
            // the pools cannot connect: anything that reached the directory would throw UNAVAILABLE
            for (String bad : new String[] {null, "", "*", "alice)(uid=*", "Alice", "a".repeat(40)}) {
                assertEquals(Optional.empty(), d.authenticate(bad, "pw".toCharArray()));
                assertEquals(Optional.empty(), d.getUser(bad));
                assertEquals(Reason.INVALID_ARGUMENT, assertThrows(AuthException.class,
                        () -> d.createUser(new NewUser(bad, "X", null, "pw".toCharArray()))).reason());
                assertEquals(Reason.INVALID_ARGUMENT, assertThrows(AuthException.class,
                        () -> d.changePassword(bad, null, "pw".toCharArray())).reason());
            }
            assertEquals(Optional.empty(), d.authenticate("alice", new char[0]));
            assertEquals(Optional.empty(), d.authenticate("alice", null));
            assertEquals(Reason.BAD_PASSWORD, assertThrows(AuthException.class,
                    () -> d.createUser(new NewUser("dave", "Dave", null, new char[0]))).reason());
            assertEquals(Reason.INVALID_ARGUMENT, assertThrows(AuthException.class,
                    () -> d.createUser(new NewUser("dave", "Dave", "not an address", "pw".toCharArray()))).reason());
            assertEquals(Reason.INVALID_ARGUMENT, assertThrows(AuthException.class,
                    () -> d.createUser(new NewUser("dave", "Da\nve", null, "pw".toCharArray()))).reason());
            assertEquals(Reason.BAD_PASSWORD, assertThrows(AuthException.class,
                    () -> d.changePassword("dave", null, new char[0])).reason());
            assertEquals(EnumSet.allOf(Capability.class), d.capabilities());
            // a valid id does reach the (closed) directory
            assertEquals(Reason.UNAVAILABLE, assertThrows(AuthException.class,
                    () -> d.authenticate("alice", "pw".toCharArray())).reason());
        }
    }

    @Test
    public void withoutServiceAccountNoUserCreationNorReset() throws Exception {
        try (LdapDirectory d = offline()) {
            assertEquals(EnumSet.of(Capability.GET_USER, Capability.CHANGE_PASSWORD), d.capabilities());
            assertEquals(Reason.NOT_SUPPORTED, assertThrows(AuthException.class,
                    () -> d.createUser(new NewUser("dave", "Dave", null, "pw".toCharArray()))).reason());
            assertEquals(Reason.NOT_SUPPORTED, assertThrows(AuthException.class,
                    () -> d.changePassword("dave", null, "pw".toCharArray())).reason());
        }
    }

    @Test
    public void componentLifecycle() throws Exception {
        LdapAuthBackend b = new LdapAuthBackend();
        assertEquals(Reason.UNAVAILABLE, assertThrows(AuthException.class, () -> b.getUser("alice")).reason());
        b.activate(config("urls", "ldap://127.0.0.1:1", "poolInitialSize", 0));
        assertEquals(Optional.empty(), b.getUser("*"));
        b.deactivate();
        assertTrue(b.capabilities().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> b.activate(config("urls", "nope://x")));
    }
}
