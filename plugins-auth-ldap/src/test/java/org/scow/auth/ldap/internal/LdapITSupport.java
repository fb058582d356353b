package org.scow.auth.ldap.internal;

import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import org.junit.After;
import org.junit.Before;

/**
 * Integration tests against the real slapd of shared/peers/ldap-up.sh. They fail (never skip) when it does not
 * answer. Users get unique names per run and are removed afterwards, so the tests can be re-run.
 */
abstract class LdapITSupport {
    static final String URL = System.getProperty("ldap.url", "ldap://127.0.0.1:389");
    static final String BASE = System.getProperty("ldap.baseDn", "dc=example,dc=org");
    static final String ADMIN_DN = System.getProperty("ldap.adminDn", "cn=admin," + BASE);
    static final String ADMIN_PW = System.getProperty("ldap.adminPassword", "adminpass");
    static final String UP_SCRIPT = System.getProperty("ldap.upScript", "/work/shared/peers/ldap-up.sh");
    static final String PEOPLE = "ou=People," + BASE;
    static final String GROUPS = "ou=Groups," + BASE;
    static final String ADMIN_GROUP = "cn=portal-admins," + GROUPS;
    /** The tests' own uid range and counter, away from ldap-up.sh's users (10001..) and a production counter. */
    static final long UID_START = 30000;
    static final String COUNTER = "cn=scow-it-uid-counter," + BASE;

    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    private static int counter;

    /** The directory as its administrator, to check and clean up behind the backend's back. */
    protected LDAPConnection admin;
    private final List<String> usersToDelete = new ArrayList<>();
    private final List<String[]> memberUidsToRemove = new ArrayList<>();
    private final List<LdapAuthBackend> backends = new ArrayList<>();

    @Before
    public void connect() throws Exception {
        admin = requireSlapd();
    }

    @After
    public void cleanUp() {
        backends.forEach(LdapAuthBackend::deactivate);
        if (admin == null) {
            return;
        }
        for (String uid : usersToDelete) {
            for (String dn : List.of("uid=" + uid + "," + PEOPLE, "cn=" + uid + "," + GROUPS)) {
                try {
                    admin.delete(dn);
                } catch (LDAPException e) {
                    if (e.getResultCode() != ResultCode.NO_SUCH_OBJECT) {
                        System.err.println("clean-up of " + dn + ": " + e.getMessage());
                    }
                }
            }
        }
        for (String[] gm : memberUidsToRemove) {
            try {
                admin.modify(gm[0], new Modification(ModificationType.DELETE, "memberUid", gm[1]));
            } catch (LDAPException e) {
                if (e.getResultCode() != ResultCode.NO_SUCH_ATTRIBUTE) {
                    System.err.println("clean-up of memberUid " + gm[1] + " in " + gm[0] + ": " + e.getMessage());
                }
            }
        }
        admin.close();
    }

    static LDAPConnection requireSlapd() throws Exception {
        LDAPURL url = new LDAPURL(URL);
        LDAPConnectionOptions o = new LDAPConnectionOptions();
        o.setConnectTimeoutMillis(3000);
        o.setResponseTimeoutMillis(5000);
        try {
            return new LDAPConnection(o, url.getHost(), url.getPort(), ADMIN_DN, ADMIN_PW);
        } catch (LDAPException e) {
            fail("no OpenLDAP answers at " + URL + " as " + ADMIN_DN + " (" + e.getMessage() + ")."
                    + " Start it (as root) with: " + UP_SCRIPT);
            throw new AssertionError(e);
        }
    }

    /** The configuration of the tests: the real directory, admin bind, the portal-admins mapping. */
    static Map<String, Object> baseConfig() {
        Map<String, Object> m = new HashMap<>();
        m.put("urls", URL);
        m.put("bindDn", ADMIN_DN);
        m.put(".bindPassword", ADMIN_PW);
        m.put("baseDn", BASE);
        m.put("uidNumberStart", UID_START);
        m.put("uidCounterDn", COUNTER);
        m.put("adminGroupDn", ADMIN_GROUP);
        m.put("connectTimeoutMillis", 2000);
        m.put("responseTimeoutMillis", 3000);
        return m;
    }

    /** An active backend on {@link #baseConfig()} with the given overrides (key, value, ...). */
    protected LdapAuthBackend backend(Object... overrides) throws Exception {
        Map<String, Object> m = baseConfig();
        for (int i = 0; i < overrides.length; i += 2) {
            m.put((String) overrides[i], overrides[i + 1]);
        }
        LdapAuthBackend b = new LdapAuthBackend();
        b.activate(Configs.config(m));
        backends.add(b);
        return b;
    }

    /** A fresh user id, deleted (with its own group) after the test. */
    protected synchronized String newUserId() {
        String id = "it" + RUN + "x" + (++counter);
        usersToDelete.add(id);
        return id;
    }

    protected void removeMemberUidAfter(String groupDn, String uid) {
        memberUidsToRemove.add(new String[] {groupDn, uid});
    }

    /** The user's entry as the administrator sees it, or null. */
    protected SearchResultEntry userEntry(String uid) throws LDAPException {
        return admin.searchForEntry(BASE, SearchScope.SUB, Filter.createEqualityFilter("uid", uid), "*", "+");
    }

    static char[] pw(String s) {
        return s.toCharArray();
    }
}
