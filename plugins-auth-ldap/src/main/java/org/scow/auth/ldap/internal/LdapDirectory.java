package org.scow.auth.ldap.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.ExtendedResult;
import com.unboundid.ldap.sdk.FailoverServerSet;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.OperationType;
import com.unboundid.ldap.sdk.PostConnectProcessor;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.ServerSet;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.SingleServerSet;
import com.unboundid.ldap.sdk.StartTLSPostConnectProcessor;
import com.unboundid.ldap.sdk.extensions.PasswordModifyExtendedRequest;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.JVMDefaultTrustManager;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustAllTrustManager;
import com.unboundid.util.ssl.TrustStoreTrustManager;
import org.scow.api.auth.AuthBackend;
import org.scow.api.auth.AuthException;
import org.scow.api.auth.AuthException.Reason;
import org.scow.api.auth.NewUser;
import org.scow.api.auth.UserIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LDAP {@link AuthBackend} without OSGi: two connection pools over the configured servers, one bound as the
 * service account ({@code bindDn}) for searches and writes, one unauthenticated whose connections bind as users to
 * check passwords and are reverted to anonymous afterwards.
 */
public final class LdapDirectory implements AuthBackend, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LdapDirectory.class);
    private static final int MAX_NAME = 256;

    private final LdapSettings s;
    private final String where;
    private final LDAPConnectionPool servicePool;
    private final LDAPConnectionPool loginPool;
    private final UidAllocator allocator;
    private final String[] userAttributes;

    public LdapDirectory(LdapSettings settings) throws GeneralSecurityException {
        this.s = settings;
        this.where = settings.urls().stream().map(LDAPURL::toString).collect(Collectors.joining(" "));
        ServerSet servers = serverSet(settings);
        PostConnectProcessor startTls = settings.startTls()
                ? new StartTLSPostConnectProcessor(sslUtil(settings).createSSLSocketFactory()) : null;
        SimpleBindRequest serviceBind = settings.bindDn().isEmpty() ? null
                : new SimpleBindRequest(settings.bindDn(), settings.bindPassword());
        this.servicePool = pool("scow-ldap-service", servers, serviceBind, startTls, settings);
        this.loginPool = pool("scow-ldap-login", servers, null, startTls, settings);
        this.allocator = new UidAllocator(settings, servicePool);
        Set<String> attrs = new LinkedHashSet<>(List.of("uid", "cn", "displayName", "mail", "uidNumber", "gidNumber",
                "homeDirectory", "loginShell", "memberOf"));
        attrs.add(settings.userIdAttribute());
        this.userAttributes = attrs.toArray(String[]::new);
    }

    @Override
    public void close() {
        servicePool.close();
        loginPool.close();
    }

    @Override
    public Set<Capability> capabilities() {
        return hasServiceAccount() ? EnumSet.allOf(Capability.class)
                : EnumSet.of(Capability.GET_USER, Capability.CHANGE_PASSWORD);
    }

    // ------------------------------------------------------------------------------------------------ authenticate

    @Override
    public Optional<UserIdentity> authenticate(String userId, char[] password) throws AuthException {
        if (!s.isValidUserId(userId) || password == null || password.length == 0) {
            return Optional.empty(); // never reaches the directory; an empty password would be an anonymous bind
        }
        SearchResultEntry user = findUser(userId, "looking up " + userId + " for login");
        if (user == null) {
            return Optional.empty();
        }
        byte[] pw = utf8(password);
        try {
            loginPool.bindAndRevertAuthentication(new SimpleBindRequest(user.getDN(), pw));
        } catch (LDAPException e) {
            if (LdapErrors.isCredentialFailure(e.getResultCode())) {
                LOG.debug("login of {} refused: {}", userId, LdapErrors.describe(e));
                return Optional.empty();
            }
            throw LdapErrors.unavailable(where, "checking the password of " + userId, e);
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
        return Optional.of(identity(user, "reading the groups of " + userId));
    }

    // ---------------------------------------------------------------------------------------------------- getUser

    @Override
    public Optional<UserIdentity> getUser(String userId) throws AuthException {
        if (!s.isValidUserId(userId)) {
            return Optional.empty();
        }
        SearchResultEntry user = findUser(userId, "looking up " + userId);
        return user == null ? Optional.empty() : Optional.of(identity(user, "reading the groups of " + userId));
    }

    // ------------------------------------------------------------------------------------------------- createUser

    @Override
    public UserIdentity createUser(NewUser u) throws AuthException {
        if (!hasServiceAccount()) {
            throw new AuthException(Reason.NOT_SUPPORTED, "creating users needs bindDn (a directory account with"
                    + " write access) in " + LdapAuthBackend.PID);
        }
        if (u == null || !s.isValidUserId(u.userId())) {
            throw new AuthException(Reason.INVALID_ARGUMENT, "invalid user id: must match " + s.userIdPattern());
        }
        String userId = u.userId();
        if (u.password() == null || u.password().length == 0) {
            throw new AuthException(Reason.BAD_PASSWORD, "the initial password must not be empty");
        }
        String name = u.name() == null || u.name().isBlank() ? userId : u.name().strip();
        if (name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw new AuthException(Reason.INVALID_ARGUMENT, "invalid name");
        }
        String email = u.email() == null || u.email().isBlank() ? null : u.email().strip();
        if (email != null && !email.matches("[^\\s@]{1,64}@[^\\s@]{1,255}")) {
            throw new AuthException(Reason.INVALID_ARGUMENT, "invalid email address");
        }

        String what = "creating user " + userId;
        DN userDn = s.newUserDn(userId);
        DN groupDn = s.groupStrategy() == GroupStrategy.ONE_GROUP_PER_USER ? s.userGroupDn(userId)
                : s.sharedGroupDn();
        long uidNumber;
        try {
            if (findUser(userId, what) != null || servicePool.getEntry(userDn.toString(), "1.1") != null) {
                throw new AuthException(Reason.ALREADY_EXISTS, "user " + userId + " already exists");
            }
            if (s.groupStrategy() == GroupStrategy.ONE_GROUP_PER_USER
                    && servicePool.getEntry(groupDn.toString(), "1.1") != null) {
                throw new AuthException(Reason.ALREADY_EXISTS, "group " + groupDn + " already exists");
            }
            uidNumber = allocator.next();
        } catch (LDAPException e) {
            throw LdapErrors.unavailable(where, what, e);
        }
        long gidNumber = s.groupStrategy() == GroupStrategy.ONE_GROUP_PER_USER ? uidNumber : s.sharedGroupGid();
        String home = s.homeDirectory(userId);

        Entry entry = userEntry(s, userDn, userId, name, email, uidNumber, gidNumber, home);
        try {
            servicePool.add(entry);
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.ENTRY_ALREADY_EXISTS) {
                throw new AuthException(Reason.ALREADY_EXISTS, "user " + userId + " already exists", e);
            }
            throw LdapErrors.unavailable(where, what + " (adding " + userDn + ")", e);
        }

        // from here on a failure removes the user entry again: all or nothing
        String step = "setting the password of " + userDn;
        try {
            byte[] pw = utf8(u.password());
            try {
                checkPasswordModify(servicePool.processExtendedOperation(
                        new PasswordModifyExtendedRequest(userDn.toString(), null, pw)), step);
            } catch (LDAPException e) {
                throw passwordFailure(e, what + " (" + step + ")");
            } finally {
                Arrays.fill(pw, (byte) 0);
            }
            try {
                if (s.groupStrategy() == GroupStrategy.ONE_GROUP_PER_USER) {
                    step = "adding group " + groupDn;
                    servicePool.add(groupEntry(groupDn, userId, gidNumber));
                } else {
                    step = "adding " + userId + " to group " + groupDn;
                    addMemberUid(groupDn, userId);
                }
            } catch (LDAPException e) {
                throw e.getResultCode() == ResultCode.ENTRY_ALREADY_EXISTS
                        ? new AuthException(Reason.ALREADY_EXISTS, "group " + groupDn + " already exists", e)
                        : LdapErrors.unavailable(where, what + " (" + step + ")", e);
            }
        } catch (AuthException e) {
            throw new AuthException(e.reason(), e.getMessage() + "; " + rollBack(userDn), e.getCause());
        } catch (RuntimeException e) {
            LOG.error("unexpected failure while {} ({}); {}", what, step, rollBack(userDn));
            throw e;
        }
        LOG.info("created LDAP user {} ({}), uidNumber {}, gidNumber {}", userId, userDn, uidNumber, gidNumber);
        Set<String> groups = new TreeSet<>();
        groups.add(groupDn.getRDN().getAttributeValues()[0]);
        return new UserIdentity(userId, name, email, uidNumber, gidNumber, home, groups);
    }

    private void addMemberUid(DN groupDn, String userId) throws LDAPException {
        try {
            servicePool.modify(groupDn.toString(), new Modification(ModificationType.ADD, "memberUid", userId));
        } catch (LDAPException e) {
            if (e.getResultCode() != ResultCode.ATTRIBUTE_OR_VALUE_EXISTS) {
                throw e;
            }
        }
    }

    /** Deletes a half-created user; returns what happened, for the error message. */
    private String rollBack(DN userDn) {
        try {
            servicePool.delete(userDn.toString());
            LOG.warn("user creation failed: removed {} again", userDn);
            return "the user entry was removed again";
        } catch (LDAPException e) {
            LOG.error("user creation failed and removing {} failed too; remove it by hand: {}", userDn,
                    LdapErrors.describe(e));
            return "REMOVING " + userDn + " FAILED (" + LdapErrors.describe(e) + "), remove it by hand";
        }
    }

    static Entry userEntry(LdapSettings s, DN dn, String userId, String name, String email, long uid, long gid,
                           String home) {
        Entry e = new Entry(dn);
        e.addAttribute("objectClass", "top", "inetOrgPerson", "posixAccount", "shadowAccount");
        e.addAttribute("uid", userId);
        if (!"uid".equalsIgnoreCase(s.userIdAttribute())) {
            e.addAttribute(s.userIdAttribute(), userId);
        }
        if (!"cn".equalsIgnoreCase(s.userIdAttribute())) {
            e.addAttribute("cn", name);
        }
        String[] words = name.split("\\s+");
        e.addAttribute("sn", words[words.length - 1]);
        if (words.length > 1) {
            e.addAttribute("givenName", words[0]);
        }
        e.addAttribute("displayName", name);
        if (email != null) {
            e.addAttribute("mail", email);
        }
        e.addAttribute("uidNumber", Long.toString(uid));
        e.addAttribute("gidNumber", Long.toString(gid));
        e.addAttribute("homeDirectory", home);
        e.addAttribute("loginShell", s.loginShell());
        e.addAttribute("shadowLastChange", Long.toString(LocalDate.now().toEpochDay()));
        return e;
    }

    static Entry groupEntry(DN dn, String userId, long gid) {
        Entry e = new Entry(dn);
        e.addAttribute("objectClass", "top", "posixGroup");
        e.addAttribute("cn", dn.getRDN().getAttributeValues()[0]);
        e.addAttribute("gidNumber", Long.toString(gid));
        e.addAttribute("memberUid", userId);
        return e;
    }

    // --------------------------------------------------------------------------------------------- changePassword

    @Override
    public void changePassword(String userId, char[] oldPassword, char[] newPassword) throws AuthException {
        if (!s.isValidUserId(userId)) {
            throw new AuthException(Reason.INVALID_ARGUMENT, "invalid user id");
        }
        if (newPassword == null || newPassword.length == 0) {
            throw new AuthException(Reason.BAD_PASSWORD, "the new password must not be empty");
        }
        if (oldPassword == null && !hasServiceAccount()) {
            throw new AuthException(Reason.NOT_SUPPORTED, "an administrator password reset needs bindDn in "
                    + LdapAuthBackend.PID);
        }
        if (oldPassword != null && oldPassword.length == 0) {
            throw new AuthException(Reason.BAD_PASSWORD, "the old password does not match");
        }
        String what = "changing the password of " + userId;
        SearchResultEntry user = findUser(userId, what);
        if (user == null) {
            throw new AuthException(Reason.USER_NOT_FOUND, "no user " + userId);
        }
        byte[] newPw = utf8(newPassword);
        byte[] oldPw = oldPassword == null ? null : utf8(oldPassword);
        try {
            if (oldPw == null) {
                try {
                    checkPasswordModify(servicePool.processExtendedOperation(
                            new PasswordModifyExtendedRequest(user.getDN(), null, newPw)), what);
                } catch (LDAPException e) {
                    throw passwordFailure(e, what);
                }
                LOG.info("password of {} reset by the administrator", userId);
                return;
            }
            selfChange(user.getDN(), oldPw, newPw, what);
            LOG.info("password of {} changed by the user", userId);
        } finally {
            Arrays.fill(newPw, (byte) 0);
            if (oldPw != null) {
                Arrays.fill(oldPw, (byte) 0);
            }
        }
    }

    /** Binds as the user with the old password, then runs Password Modify as that user on the same connection. */
    private void selfChange(String dn, byte[] oldPw, byte[] newPw, String what) throws AuthException {
        LDAPConnection conn;
        try {
            conn = loginPool.getConnection();
        } catch (LDAPException e) {
            throw LdapErrors.unavailable(where, what, e);
        }
        boolean usable = false;
        try {
            try {
                conn.bind(new SimpleBindRequest(dn, oldPw));
            } catch (LDAPException e) {
                if (LdapErrors.isCredentialFailure(e.getResultCode())) {
                    usable = true;
                    throw new AuthException(Reason.BAD_PASSWORD, "the old password does not match");
                }
                throw LdapErrors.unavailable(where, what, e);
            }
            try {
                checkPasswordModify(conn.processExtendedOperation(
                        new PasswordModifyExtendedRequest(dn, oldPw, newPw)), what);
            } catch (LDAPException e) {
                throw passwordFailure(e, what);
            }
            usable = true;
        } finally {
            if (usable) {
                try {
                    conn.bind(new SimpleBindRequest()); // back to anonymous before the connection is reused
                    loginPool.releaseConnection(conn);
                } catch (LDAPException e) {
                    loginPool.releaseDefunctConnection(conn);
                }
            } else {
                loginPool.releaseDefunctConnection(conn);
            }
        }
    }

    private void checkPasswordModify(ExtendedResult r, String what) throws LDAPException {
        if (r.getResultCode() != ResultCode.SUCCESS) {
            throw new LDAPException(r);
        }
    }

    private AuthException passwordFailure(LDAPException e, String what) {
        ResultCode rc = e.getResultCode();
        if (rc == ResultCode.CONSTRAINT_VIOLATION || rc == ResultCode.INVALID_CREDENTIALS
                || rc == ResultCode.UNWILLING_TO_PERFORM) {
            return new AuthException(Reason.BAD_PASSWORD, "the directory refused the password: "
                    + LdapErrors.describe(e), e);
        }
        if (rc == ResultCode.NO_SUCH_OBJECT) {
            return new AuthException(Reason.USER_NOT_FOUND, "the user entry is gone", e);
        }
        return LdapErrors.unavailable(where, what, e);
    }

    // ------------------------------------------------------------------------------------------------ look-ups

    /** The one entry matching the user filter, or null when none (or, logged, more than one). */
    private SearchResultEntry findUser(String userId, String what) throws AuthException {
        SearchRequest r = new SearchRequest(s.userSearchBase().toString(), SearchScope.SUB, s.userFilter(userId),
                userAttributes);
        r.setSizeLimit(2);
        SearchResult res;
        try {
            res = servicePool.search(r);
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
                LOG.warn("user id {} matches several entries under {}: refusing it", userId, s.userSearchBase());
                return null;
            }
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                LOG.warn("user search base {} does not exist", s.userSearchBase());
                return null;
            }
            throw LdapErrors.unavailable(where, what, e);
        }
        if (res.getEntryCount() > 1) {
            LOG.warn("user id {} matches several entries under {}: refusing it", userId, s.userSearchBase());
            return null;
        }
        return res.getEntryCount() == 0 ? null : res.getSearchEntries().get(0);
    }

    private UserIdentity identity(SearchResultEntry e, String what) throws AuthException {
        String userId = e.getAttributeValue(s.userIdAttribute());
        if (userId == null) {
            userId = e.getAttributeValue("uid");
        }
        String name = e.getAttributeValue("displayName");
        if (name == null) {
            name = e.getAttributeValue("cn");
        }
        Long gid = e.getAttributeValueAsLong("gidNumber");
        return new UserIdentity(userId, name, e.getAttributeValue("mail"), e.getAttributeValueAsLong("uidNumber"),
                gid, e.getAttributeValue("homeDirectory"), groups(e, userId, gid, what));
    }

    /**
     * The cn of every group of the user: posixGroups naming it in memberUid or having its gidNumber, groupOfNames /
     * groupOfUniqueNames listing its DN (under the group base), and the groups in its memberOf; plus
     * {@code adminGroupName} when it is a member of {@code adminGroupDn}.
     */
    private Set<String> groups(SearchResultEntry user, String userId, Long gid, String what) throws AuthException {
        Set<String> names = new TreeSet<>();
        Set<DN> dns = new LinkedHashSet<>();
        String dn = user.getDN();
        List<Filter> any = new ArrayList<>(List.of(Filter.createEqualityFilter("memberUid", userId),
                Filter.createEqualityFilter("member", dn), Filter.createEqualityFilter("uniqueMember", dn)));
        if (gid != null) {
            any.add(Filter.createANDFilter(Filter.createEqualityFilter("objectClass", "posixGroup"),
                    Filter.createEqualityFilter("gidNumber", Long.toString(gid))));
        }
        try {
            SearchResult res = servicePool.search(new SearchRequest(s.groupBase().toString(), SearchScope.SUB,
                    Filter.createORFilter(any), "cn"));
            for (SearchResultEntry g : res.getSearchEntries()) {
                dns.add(g.getParsedDN());
                String cn = g.getAttributeValue("cn");
                names.add(cn != null ? cn : g.getParsedDN().getRDN().getAttributeValues()[0]);
            }
        } catch (LDAPException e) {
            if (e.getResultCode() != ResultCode.NO_SUCH_OBJECT) {
                throw LdapErrors.unavailable(where, what, e);
            }
        }
        String[] memberOf = user.getAttributeValues("memberOf");
        for (String m : memberOf == null ? new String[0] : memberOf) {
            try {
                DN g = new DN(m);
                if (dns.add(g)) {
                    RDN rdn = g.getRDN();
                    names.add(rdn.getAttributeValues()[0]);
                }
            } catch (LDAPException ignored) {
                // not a DN: skip
            }
        }
        if (s.adminGroupDn() != null && (dns.contains(s.adminGroupDn()) || isMemberOfAdminGroup(dn, userId, what))) {
            names.add(s.adminGroupName());
        }
        return names;
    }

    /** Checks the admin group directly (it may lie outside the group base and there may be no memberOf). */
    private boolean isMemberOfAdminGroup(String userDn, String userId, String what) throws AuthException {
        try {
            SearchResultEntry g = servicePool.searchForEntry(s.adminGroupDn().toString(), SearchScope.BASE,
                    Filter.createORFilter(Filter.createEqualityFilter("member", userDn),
                            Filter.createEqualityFilter("uniqueMember", userDn),
                            Filter.createEqualityFilter("memberUid", userId)), "1.1");
            return g != null;
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                LOG.warn("adminGroupDn {} does not exist", s.adminGroupDn());
                return false;
            }
            throw LdapErrors.unavailable(where, what, e);
        }
    }

    // ------------------------------------------------------------------------------------------------ plumbing

    private boolean hasServiceAccount() {
        return !s.bindDn().isEmpty();
    }

    private static byte[] utf8(char[] chars) {
        ByteBuffer b = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        byte[] out = new byte[b.remaining()];
        b.get(out);
        if (b.hasArray()) {
            Arrays.fill(b.array(), (byte) 0);
        }
        return out;
    }

    static LDAPConnectionOptions options(LdapSettings s) {
        LDAPConnectionOptions o = new LDAPConnectionOptions();
        o.setConnectTimeoutMillis(s.connectTimeoutMillis());
        o.setResponseTimeoutMillis(s.responseTimeoutMillis());
        o.setAbandonOnTimeout(true);
        o.setFollowReferrals(false);
        o.setUseKeepAlive(true);
        o.setBindWithDNRequiresPassword(true);
        if (s.verifyHostname() && !s.trustAll()) {
            o.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
        }
        return o;
    }

    static SSLUtil sslUtil(LdapSettings s) throws GeneralSecurityException {
        TrustManager tm;
        if (s.trustAll()) {
            LOG.warn("{}: trustAll=true, the directory's certificate is not checked", LdapAuthBackend.PID);
            tm = new TrustAllTrustManager();
        } else if (!s.trustStorePath().isEmpty()) {
            tm = new TrustStoreTrustManager(s.trustStorePath(),
                    s.trustStorePassword().isEmpty() ? null : s.trustStorePassword().toCharArray(),
                    s.trustStoreType(), true);
        } else {
            tm = JVMDefaultTrustManager.getInstance();
        }
        return new SSLUtil(tm);
    }

    static ServerSet serverSet(LdapSettings s) throws GeneralSecurityException {
        LDAPConnectionOptions o = options(s);
        SSLSocketFactory tls = null;
        List<ServerSet> sets = new ArrayList<>();
        for (LDAPURL u : s.urls()) {
            SocketFactory f = SocketFactory.getDefault();
            if (u.getScheme().equalsIgnoreCase("ldaps")) {
                if (tls == null) {
                    tls = sslUtil(s).createSSLSocketFactory();
                }
                f = tls;
            }
            sets.add(new SingleServerSet(u.getHost(), u.getPort(), f, o));
        }
        return sets.size() == 1 ? sets.get(0) : new FailoverServerSet(sets);
    }

    private static LDAPConnectionPool pool(String name, ServerSet servers, SimpleBindRequest bind,
                                           PostConnectProcessor startTls, LdapSettings s) {
        LDAPConnectionPool p;
        try {
            // throwOnConnectFailure=false: the component starts while the directory is down; operations then fail
            // with UNAVAILABLE and the pool connects as soon as the directory is back
            p = new LDAPConnectionPool(servers, bind, s.poolInitialSize(), s.poolMaxSize(), startTls, false);
        } catch (LDAPException e) {
            throw new IllegalStateException("cannot create the LDAP connection pool", e);
        }
        p.setConnectionPoolName(name);
        p.setMaxWaitTimeMillis(s.responseTimeoutMillis());
        p.setCreateIfNecessary(true);
        // reads and binds are retried once on a fresh connection when a pooled one went stale (slapd restart);
        // writes are not, a retried add could run twice
        p.setRetryFailedOperationsDueToInvalidConnections(
                EnumSet.of(OperationType.SEARCH, OperationType.COMPARE, OperationType.BIND));
        p.setMaxConnectionAgeMillis(30L * 60 * 1000);
        return p;
    }
}
