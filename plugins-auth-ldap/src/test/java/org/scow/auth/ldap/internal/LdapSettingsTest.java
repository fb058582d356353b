package org.scow.auth.ldap.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.scow.auth.ldap.internal.Configs.config;

import java.util.List;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import org.junit.Test;

public class LdapSettingsTest {

    @Test
    public void defaultsDeriveBasesFromTheBaseDn() throws Exception {
        LdapSettings s = LdapSettings.from(config("baseDn", "dc=hpc,dc=example,dc=com"));
        assertEquals(new DN("ou=People,dc=hpc,dc=example,dc=com"), s.userBase());
        assertEquals(s.userBase(), s.userSearchBase());
        assertEquals(new DN("ou=Groups,dc=hpc,dc=example,dc=com"), s.groupBase());
        assertEquals(new DN("cn=scow-uid-counter,dc=hpc,dc=example,dc=com"), s.uidCounterDn());
        assertEquals(GroupStrategy.ONE_GROUP_PER_USER, s.groupStrategy());
        assertEquals(20000, s.uidNumberStart());
        assertNull(s.adminGroupDn());
        assertEquals(LdapSettings.DEFAULT_ADMIN_GROUP_NAME, s.adminGroupName());
        assertEquals(1, s.urls().size());
        assertEquals(389, s.urls().get(0).getPort());
    }

    @Test
    public void explicitBasesWin() throws Exception {
        LdapSettings s = LdapSettings.from(config("userBase", "ou=Users,dc=example,dc=org",
                "userSearchBase", "dc=example,dc=org", "groupBase", "ou=G,dc=example,dc=org",
                "adminGroupDn", "cn=portal-admins,ou=Groups,dc=example,dc=org", "adminGroupName", "admins"));
        assertEquals(new DN("ou=Users,dc=example,dc=org"), s.userBase());
        assertEquals(new DN("dc=example,dc=org"), s.userSearchBase());
        assertEquals(new DN("ou=G,dc=example,dc=org"), s.groupBase());
        assertEquals(new DN("cn=portal-admins,ou=groups,dc=example,dc=org"), s.adminGroupDn());
        assertEquals("admins", s.adminGroupName());
    }

    @Test
    public void severalUrlsInOneCfgString() {
        assertEquals(List.of("ldap://a:389", "ldaps://b", "ldap://c/dc=x,dc=y"),
                LdapSettings.splitUrls(new String[] {"ldap://a:389, ldaps://b ldap://c/dc=x,dc=y"}));
        LdapSettings s = LdapSettings.from(config("urls", new String[] {"ldap://a:1389,ldap://b:2389"}));
        assertEquals(2, s.urls().size());
        assertEquals("b", s.urls().get(1).getHost());
        assertEquals(2389, s.urls().get(1).getPort());
    }

    @Test
    public void allProblemsAreReportedTogether() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LdapSettings.from(config(
                "urls", "ldaps://x", "startTls", true, "userFilter", "(uid=alice)", "baseDn", "not a dn",
                "groupStrategy", "SHARED_GROUP", "homeDirectoryTemplate", "home/x", "userIdPattern", "[",
                "connectTimeoutMillis", 0, "uidCounterDn", "ou=counter,dc=example,dc=org")));
        String m = e.getMessage();
        for (String part : List.of("startTls", "userFilter", "baseDn", "sharedGroupDn", "sharedGroupGid",
                "homeDirectoryTemplate", "userIdPattern", "connectTimeoutMillis", "uidCounterDn")) {
            assertTrue(part + " in " + m, m.contains(part));
        }
    }

    @Test
    public void rejectsOtherSchemesAndNoUrl() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LdapSettings.from(config("urls", "http://x")))
                .getMessage().contains("urls: "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LdapSettings.from(config("urls", " ")))
                .getMessage().contains("at least one"));
    }

    @Test
    public void toStringHidesThePassword() {
        LdapSettings s = LdapSettings.from(config("bindDn", "cn=admin,dc=example,dc=org", ".bindPassword", "s3cret"));
        assertEquals("s3cret", s.bindPassword());
        assertFalse(s.toString().contains("s3cret"));
    }

    @Test
    public void userIdsAreValidated() {
        LdapSettings s = LdapSettings.from(config());
        for (String ok : List.of("alice", "a", "_svc", "a.b-c_d", "u" + "1".repeat(31))) {
            assertTrue(ok, s.isValidUserId(ok));
        }
        for (String bad : List.of("", "Alice", "1abc", "*", "alice)(uid=*", "*)(|(uid=*", "a,ou=x", "a b",
                "alice\u0000", "ab\\2a", "u" + "1".repeat(32), "élodie")) {
            assertFalse(bad, s.isValidUserId(bad));
        }
        assertFalse(s.isValidUserId(null));
    }

    @Test
    public void theUserIdIsAnEscapedAssertionValueNeverFilterSyntax() throws Exception {
        LdapSettings s = LdapSettings.from(config("userFilter", "(&(objectClass=posixAccount)(uid={0}))"));
        for (String hostile : List.of("*", "alice)(uid=*", "*)(|(objectClass=*", "a\\b", "x)(\u0000")) {
            Filter f = s.userFilter(hostile);
            assertEquals(Filter.FILTER_TYPE_AND, f.getFilterType());
            Filter uid = f.getComponents()[1];
            assertEquals(hostile, Filter.FILTER_TYPE_EQUALITY, uid.getFilterType());
            assertEquals("uid", uid.getAttributeName());
            assertEquals(hostile, uid.getAssertionValue());
        }
    }

    @Test
    public void dnsAndHomeDirectoriesOfNewUsers() throws Exception {
        LdapSettings s = LdapSettings.from(config("homeDirectoryTemplate", "/nfs/home/{uid}"));
        assertEquals(new DN("uid=bob,ou=People,dc=example,dc=org"), s.newUserDn("bob"));
        assertEquals(new DN("cn=bob,ou=Groups,dc=example,dc=org"), s.userGroupDn("bob"));
        // even a value with DN syntax stays one RDN value
        DN odd = s.newUserDn("x,ou=evil");
        assertEquals("x,ou=evil", odd.getRDN().getAttributeValues()[0]);
        assertEquals(s.userBase(), odd.getParent());
        assertEquals("/nfs/home/bob", s.homeDirectory("bob"));
    }

    @Test
    public void sharedGroupStrategy() throws Exception {
        LdapSettings s = LdapSettings.from(config("groupStrategy", "shared_group",
                "sharedGroupDn", "cn=hpcusers,ou=Groups,dc=example,dc=org", "sharedGroupGid", 10000L));
        assertEquals(GroupStrategy.SHARED_GROUP, s.groupStrategy());
        assertEquals(new DN("cn=hpcusers,ou=Groups,dc=example,dc=org"), s.sharedGroupDn());
        assertEquals(10000, s.sharedGroupGid());
    }
}
