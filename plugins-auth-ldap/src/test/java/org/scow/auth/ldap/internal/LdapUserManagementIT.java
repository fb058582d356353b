package org.scow.auth.ldap.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.SearchResultEntry;
import org.junit.Test;
import org.scow.api.auth.AuthBackend;
import org.scow.api.auth.AuthException;
import org.scow.api.auth.AuthException.Reason;
import org.scow.api.auth.NewUser;
import org.scow.api.auth.UserIdentity;

/** createUser and changePassword against the real slapd. */
public class LdapUserManagementIT extends LdapITSupport {

    @Test
    public void createdUserIsPosixCanLogInAndBindWithLdapTools() throws Exception {
        AuthBackend b = backend();
        String id = newUserId();
        UserIdentity created = b.createUser(new NewUser(id, "Dave Tester", id + "@example.org", pw("dave-pass-1")));
        assertEquals(id, created.userId());
        assertTrue(created.uid() >= UID_START);
        assertEquals("one group per user: gid = uid", created.uid(), created.gid());
        assertEquals("/home/" + id, created.homeDirectory());

        SearchResultEntry e = userEntry(id);
        assertNotNull("the entry is in the directory", e);
        assertEquals("uid=" + id + "," + PEOPLE, e.getDN());
        for (String oc : new String[] {"inetOrgPerson", "posixAccount", "shadowAccount"}) {
            assertTrue(oc, e.hasObjectClass(oc));
        }
        assertEquals(created.uid(), e.getAttributeValueAsLong("uidNumber"));
        assertEquals("/bin/bash", e.getAttributeValue("loginShell"));
        assertNotNull(e.getAttributeValue("shadowLastChange"));
        assertTrue("stored hashed by slapd", e.getAttributeValue("userPassword").startsWith("{SSHA}"));

        Entry group = admin.getEntry("cn=" + id + "," + GROUPS);
        assertNotNull("own posixGroup", group);
        assertEquals(String.valueOf(created.uid()), group.getAttributeValue("gidNumber"));
        assertArrayEquals(new String[] {id}, group.getAttributeValues("memberUid"));

        UserIdentity login = b.authenticate(id, pw("dave-pass-1")).orElseThrow();
        assertEquals(created.uid(), login.uid());
        assertEquals("Dave Tester", login.name());
        assertEquals(id + "@example.org", login.email());
        assertTrue(login.groups().toString(), login.groups().contains(id));
        assertFalse(login.groups().contains(LdapSettings.DEFAULT_ADMIN_GROUP_NAME));
        assertEquals(Optional.empty(), b.authenticate(id, pw("wrong")));

        // the way an operator would check it
        assertEquals("dn:uid=" + id + "," + PEOPLE, run("ldapwhoami", "-x", "-H", URL, "-D", "uid=" + id + ","
                + PEOPLE, "-w", "dave-pass-1").strip());
        assertTrue(run("ldapsearch", "-x", "-LLL", "-H", URL, "-b", PEOPLE, "(uid=" + id + ")", "uidNumber")
                .contains("uidNumber: " + created.uid()));
    }

    @Test
    public void numbersAreIncreasingAboveStartAndSkipUsersMadeByHand() throws Exception {
        AuthBackend b = backend();
        String first = newUserId();
        String second = newUserId();
        long u1 = b.createUser(new NewUser(first, null, null, pw("p1"))).uid();
        long u2 = b.createUser(new NewUser(second, null, null, pw("p2"))).uid();
        assertTrue(u1 >= UID_START);
        assertTrue(u2 > u1);

        // someone adds a user by hand with a high uidNumber: the next one goes above it
        String manual = newUserId();
        long high = u2 + 50;
        Entry hand = LdapDirectory.userEntry(LdapSettings.from(Configs.config(baseConfig())),
                new com.unboundid.ldap.sdk.DN("uid=" + manual + "," + PEOPLE), manual, "By Hand", null, high, 10000,
                "/home/" + manual);
        admin.add(hand);
        String third = newUserId();
        assertEquals(high + 1, (long) b.createUser(new NewUser(third, null, null, pw("p3"))).uid());
    }

    @Test
    public void concurrentCreationsGetDistinctNumbers() throws Exception {
        // two backends = two portal instances sharing the directory, several threads each
        AuthBackend b1 = backend();
        AuthBackend b2 = backend();
        List<Callable<Long>> jobs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            AuthBackend b = i % 2 == 0 ? b1 : b2;
            String id = newUserId();
            jobs.add(() -> b.createUser(new NewUser(id, null, null, pw("pw"))).uid());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            Set<Long> uids = new HashSet<>();
            for (Future<Long> f : pool.invokeAll(jobs, 60, TimeUnit.SECONDS)) {
                assertTrue("duplicate uidNumber " + uids, uids.add(f.get()));
            }
            assertEquals(8, uids.size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    public void duplicatesAreRefusedAsAlreadyExists() throws Exception {
        AuthBackend b = backend();
        String id = newUserId();
        b.createUser(new NewUser(id, null, null, pw("first")));
        AuthException again = assertThrows(AuthException.class,
                () -> b.createUser(new NewUser(id, null, null, pw("second"))));
        assertEquals(Reason.ALREADY_EXISTS, again.reason());
        assertTrue("the first password still works", b.authenticate(id, pw("first")).isPresent());
        assertEquals(Reason.ALREADY_EXISTS, assertThrows(AuthException.class,
                () -> b.createUser(new NewUser("alice", null, null, pw("x")))).reason());

        // a leftover group with the name of the new user: refused before anything is written
        String clash = newUserId();
        admin.add(LdapDirectory.groupEntry(new com.unboundid.ldap.sdk.DN("cn=" + clash + "," + GROUPS), clash, 99));
        assertEquals(Reason.ALREADY_EXISTS, assertThrows(AuthException.class,
                () -> b.createUser(new NewUser(clash, null, null, pw("x")))).reason());
        assertNull(userEntry(clash));
    }

    @Test
    public void sharedGroupStrategy() throws Exception {
        String hpc = "cn=hpcusers," + GROUPS;
        AuthBackend b = backend("groupStrategy", "SHARED_GROUP", "sharedGroupDn", hpc, "sharedGroupGid", 10000L);
        String id = newUserId();
        removeMemberUidAfter(hpc, id);
        UserIdentity u = b.createUser(new NewUser(id, "Shared Sam", null, pw("pw")));
        assertEquals(Long.valueOf(10000), u.gid());
        assertTrue(u.uid() >= UID_START);
        assertTrue(List.of(admin.getEntry(hpc).getAttributeValues("memberUid")).contains(id));
        assertNull("no own group", admin.getEntry("cn=" + id + "," + GROUPS));
        assertTrue(b.authenticate(id, pw("pw")).orElseThrow().groups().contains("hpcusers"));
    }

    @Test
    public void aFailingGroupStepRemovesTheUserAgain() throws Exception {
        String missing = "cn=missing-" + newUserId() + "," + GROUPS;
        AuthBackend b = backend("groupStrategy", "SHARED_GROUP", "sharedGroupDn", missing, "sharedGroupGid", 4242L);
        String id = newUserId();
        AuthException e = assertThrows(AuthException.class, () -> b.createUser(new NewUser(id, null, null, pw("pw"))));
        assertEquals(Reason.UNAVAILABLE, e.reason());
        assertTrue(e.getMessage(), e.getMessage().contains(missing));
        assertTrue(e.getMessage(), e.getMessage().contains("removed again"));
        assertNull("nothing half-created", userEntry(id));
        assertEquals(Optional.empty(), b.authenticate(id, pw("pw")));
    }

    @Test
    public void selfChangeNeedsTheOldPasswordAndAdminResetDoesNot() throws Exception {
        AuthBackend b = backend();
        String id = newUserId();
        b.createUser(new NewUser(id, null, null, pw("old-pass")));

        AuthException wrongOld = assertThrows(AuthException.class,
                () -> b.changePassword(id, pw("not-old"), pw("new-pass")));
        assertEquals(Reason.BAD_PASSWORD, wrongOld.reason());
        assertTrue(b.authenticate(id, pw("old-pass")).isPresent());

        b.changePassword(id, pw("old-pass"), pw("new-pass"));
        assertEquals(Optional.empty(), b.authenticate(id, pw("old-pass")));
        assertTrue(b.authenticate(id, pw("new-pass")).isPresent());
        assertTrue(userEntry(id).getAttributeValue("userPassword").startsWith("{SSHA}"));

        b.changePassword(id, null, pw("reset-pass")); // administrator reset
        assertEquals(Optional.empty(), b.authenticate(id, pw("new-pass")));
        assertTrue(b.authenticate(id, pw("reset-pass")).isPresent());

        // the login pool's connections went back to anonymous: an unrelated login still works as usual
        assertTrue(b.authenticate("bob", pw("bobpass")).isPresent());

        assertEquals(Reason.USER_NOT_FOUND, assertThrows(AuthException.class,
                () -> b.changePassword("nosuchuser", null, pw("x"))).reason());
        assertEquals(Reason.USER_NOT_FOUND, assertThrows(AuthException.class,
                () -> b.changePassword("nosuchuser", pw("a"), pw("x"))).reason());
    }

    @Test
    public void selfChangeWorksWithoutServiceAccountCredentials() throws Exception {
        String id = newUserId();
        backend().createUser(new NewUser(id, null, null, pw("anon-old")));
        AuthBackend anonymous = backend("bindDn", "", ".bindPassword", "");
        anonymous.changePassword(id, pw("anon-old"), pw("anon-new"));
        assertTrue(anonymous.authenticate(id, pw("anon-new")).isPresent());
    }

    private static String run(String... argv) throws Exception {
        File out = File.createTempFile("ldap-it", ".out");
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            assertTrue(argv[0] + " timed out", p.waitFor(30, TimeUnit.SECONDS));
            String text = java.nio.file.Files.readString(out.toPath(), StandardCharsets.UTF_8);
            assertEquals(argv[0] + ": " + text, 0, p.exitValue());
            return text;
        } finally {
            out.delete();
        }
    }
}
