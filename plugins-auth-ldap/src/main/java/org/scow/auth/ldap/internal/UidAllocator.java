package org.scow.auth.ldap.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import org.scow.api.auth.AuthException;
import org.scow.api.auth.AuthException.Reason;

/**
 * Hands out uidNumbers for new users, safe against concurrent creations by this and other SCOW instances.
 *
 * <p>Method: <b>atomic modify of a counter entry</b> ({@code uidCounterDn}, an {@code organizationalRole} +
 * {@code extensibleObject} holding {@code uidNumber} = the next number to give). A number is claimed with a single
 * modify request that deletes the value read and adds the next one; LDAP applies a modify atomically, so when another
 * writer got in between the delete fails with {@code noSuchAttribute} and the claim is retried with the new value.
 * The candidate is also never lower than {@code uidNumberStart} and than one above the highest uidNumber found in the
 * directory (and, with one group per user, the highest gidNumber of a posixGroup), so users made outside SCOW
 * (ldapadd, other tools) are skipped. Numbers of failed creations are not reused.
 */
final class UidAllocator {
    static final String COUNTER_ATTRIBUTE = "uidNumber";
    private static final int MAX_ATTEMPTS = 25;
    private static final int PAGE_SIZE = 500;

    private final LdapSettings settings;
    private final LDAPConnectionPool pool;

    UidAllocator(LdapSettings settings, LDAPConnectionPool pool) {
        this.settings = settings;
        this.pool = pool;
    }

    /** Claims the next free number. */
    long next() throws LDAPException, AuthException {
        String counterDn = settings.uidCounterDn().toString();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            if (attempt > 0) {
                backOff(attempt);
            }
            SearchResultEntry counter = pool.getEntry(counterDn, COUNTER_ATTRIBUTE);
            Long current = counter == null ? null : counter.getAttributeValueAsLong(COUNTER_ATTRIBUTE);
            long candidate = candidate(settings.uidNumberStart(), highestUsed(), current);
            try {
                if (counter == null) {
                    pool.add(counterEntry(counterDn, candidate + 1));
                } else if (current == null) {
                    pool.modify(counterDn, new Modification(ModificationType.ADD, COUNTER_ATTRIBUTE,
                            Long.toString(candidate + 1)));
                } else {
                    pool.modify(counterDn,
                            new Modification(ModificationType.DELETE, COUNTER_ATTRIBUTE, Long.toString(current)),
                            new Modification(ModificationType.ADD, COUNTER_ATTRIBUTE, Long.toString(candidate + 1)));
                }
                return candidate;
            } catch (LDAPException e) {
                ResultCode rc = e.getResultCode();
                if (rc != ResultCode.NO_SUCH_ATTRIBUTE && rc != ResultCode.ENTRY_ALREADY_EXISTS
                        && rc != ResultCode.ATTRIBUTE_OR_VALUE_EXISTS) {
                    throw e;
                }
                // another creation claimed a number in between: read again
            }
        }
        throw new AuthException(Reason.UNAVAILABLE, "could not claim a uidNumber from " + counterDn + " after "
                + MAX_ATTEMPTS + " attempts (too many concurrent user creations)");
    }

    /** The number to hand out: at least {@code start}, above every used number, not below the counter. */
    static long candidate(long start, long highestUsed, Long counter) {
        long c = Math.max(start, highestUsed + 1);
        return counter == null ? c : Math.max(c, counter);
    }

    /** The counter entry; its RDN must be cn=... (organizationalRole). */
    static Entry counterEntry(String dn, long next) throws LDAPException {
        Entry e = new Entry(dn);
        e.addAttribute("objectClass", "top", "organizationalRole", "extensibleObject");
        e.addAttribute(new Attribute("cn", e.getRDN().getAttributeValues()[0]));
        e.addAttribute(COUNTER_ATTRIBUTE, Long.toString(next));
        e.addAttribute("description", "Next uidNumber for users created by SCOW (org.scow.auth.ldap)");
        return e;
    }

    /**
     * The highest uidNumber of any posixAccount under the base DN (and gidNumber of any posixGroup when each user gets
     * its own group with gid = uid) that is at least {@code uidNumberStart}; {@code uidNumberStart - 1} when none.
     * Paged, so it is not cut by the server's size limit.
     */
    long highestUsed() throws LDAPException {
        String start = Long.toString(settings.uidNumberStart());
        List<Filter> any = new ArrayList<>();
        any.add(Filter.createANDFilter(Filter.createEqualityFilter("objectClass", "posixAccount"),
                Filter.createGreaterOrEqualFilter("uidNumber", start)));
        boolean groups = settings.groupStrategy() == GroupStrategy.ONE_GROUP_PER_USER;
        if (groups) {
            any.add(Filter.createANDFilter(Filter.createEqualityFilter("objectClass", "posixGroup"),
                    Filter.createGreaterOrEqualFilter("gidNumber", start)));
        }
        long max = settings.uidNumberStart() - 1;
        LDAPConnection conn = pool.getConnection(); // paging cookies belong to one connection
        boolean ok = false;
        try {
            ASN1OctetString cookie = null;
            do {
                SearchRequest r = new SearchRequest(settings.baseDn().toString(), SearchScope.SUB,
                        Filter.createORFilter(any), "objectClass", "uidNumber", "gidNumber");
                r.setControls(new SimplePagedResultsControl(PAGE_SIZE, cookie, false));
                SearchResult res = conn.search(r);
                for (SearchResultEntry e : res.getSearchEntries()) {
                    Long uid = e.getAttributeValueAsLong("uidNumber");
                    if (uid != null && e.hasObjectClass("posixAccount")) {
                        max = Math.max(max, uid);
                    }
                    Long gid = e.getAttributeValueAsLong("gidNumber");
                    if (groups && gid != null && e.hasObjectClass("posixGroup")) {
                        max = Math.max(max, gid);
                    }
                }
                SimplePagedResultsControl page = SimplePagedResultsControl.get(res);
                cookie = page != null && page.moreResultsToReturn() ? page.getCookie() : null;
            } while (cookie != null);
            ok = true;
        } finally {
            if (ok) {
                pool.releaseConnection(conn);
            } else {
                pool.releaseDefunctConnection(conn);
            }
        }
        return max;
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(5, 20L * Math.min(attempt, 10)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
