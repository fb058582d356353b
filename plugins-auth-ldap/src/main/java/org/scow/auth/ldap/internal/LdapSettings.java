package org.scow.auth.ldap.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.RDN;

/**
 * The validated, immutable form of {@link LdapAuthConfig}, plus the pure helpers that turn user input into filters,
 * DNs and attribute values. Every user id goes through {@link #checkUserId} and is escaped before it reaches the
 * directory; nothing here pastes raw input into a filter or DN.
 */
public record LdapSettings(
        List<LDAPURL> urls, String bindDn, String bindPassword, DN baseDn, DN userBase, DN userSearchBase,
        String userFilterTemplate, String userIdAttribute, Pattern userIdPattern, DN groupBase,
        boolean startTls, String trustStorePath, String trustStorePassword, String trustStoreType, boolean trustAll,
        boolean verifyHostname, int connectTimeoutMillis, int responseTimeoutMillis, int poolInitialSize,
        int poolMaxSize, long uidNumberStart, DN uidCounterDn, String homeDirectoryTemplate, String loginShell,
        GroupStrategy groupStrategy, DN sharedGroupDn, long sharedGroupGid, DN adminGroupDn, String adminGroupName) {

    /** Group name reported for members of the admin group unless configured otherwise. */
    public static final String DEFAULT_ADMIN_GROUP_NAME = "platform-admin";
    /** The placeholder of {@code userFilter}. */
    static final String USER_PLACEHOLDER = "{0}";
    /** The placeholder of {@code homeDirectoryTemplate}. */
    static final String HOME_PLACEHOLDER = "{uid}";

    /** Validates a configuration; problems are reported together in one {@link IllegalArgumentException}. */
    public static LdapSettings from(LdapAuthConfig c) {
        List<String> errors = new ArrayList<>();

        List<LDAPURL> urls = new ArrayList<>();
        for (String u : splitUrls(c.urls())) {
            try {
                LDAPURL url = new LDAPURL(u.strip());
                String scheme = url.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("ldap") && !scheme.equals("ldaps")) {
                    errors.add("urls: only ldap:// and ldaps:// are supported, not " + u);
                } else if (!url.hostProvided()) {
                    errors.add("urls: no host in " + u);
                } else {
                    urls.add(url);
                }
            } catch (LDAPException e) {
                errors.add("urls: cannot parse " + u + ": " + e.getMessage());
            }
        }
        if (urls.isEmpty() && errors.isEmpty()) {
            errors.add("urls: at least one ldap:// or ldaps:// URL is required");
        }
        boolean anyLdaps = urls.stream().anyMatch(u -> u.getScheme().equalsIgnoreCase("ldaps"));
        if (c.startTls() && anyLdaps) {
            errors.add("startTls=true cannot be combined with ldaps:// URLs (TLS is already on)");
        }

        DN base = dn("baseDn", c.baseDn(), null, errors);
        if (base != null && base.isNullDN()) {
            errors.add("baseDn: required");
        }
        DN userBase = dn("userBase", c.userBase(), child("ou=People", base), errors);
        DN userSearchBase = dn("userSearchBase", c.userSearchBase(), userBase, errors);
        DN groupBase = dn("groupBase", c.groupBase(), child("ou=Groups", base), errors);
        DN counter = dn("uidCounterDn", c.uidCounterDn(), child("cn=scow-uid-counter", base), errors);
        if (counter != null && !counter.isNullDN() && !counter.getRDN().hasAttribute("cn")) {
            errors.add("uidCounterDn: must be cn=<name>,<parent> (it is an organizationalRole)");
        }

        String filter = trim(c.userFilter());
        if (!filter.contains(USER_PLACEHOLDER)) {
            errors.add("userFilter: must contain " + USER_PLACEHOLDER + ", e.g. (uid={0})");
        } else {
            try {
                Filter.create(filter.replace(USER_PLACEHOLDER, "x"));
            } catch (LDAPException e) {
                errors.add("userFilter: not a valid filter: " + filter);
            }
        }
        String idAttr = trim(c.userIdAttribute());
        if (!idAttr.matches("[A-Za-z][A-Za-z0-9-]*")) {
            errors.add("userIdAttribute: not an attribute name: " + idAttr);
        }
        Pattern idPattern = null;
        try {
            idPattern = Pattern.compile(trim(c.userIdPattern()));
        } catch (PatternSyntaxException e) {
            errors.add("userIdPattern: " + e.getDescription());
        }

        if (c.connectTimeoutMillis() <= 0 || c.responseTimeoutMillis() <= 0) {
            errors.add("connectTimeoutMillis and responseTimeoutMillis must be > 0");
        }
        if (c.poolMaxSize() < 1 || c.poolInitialSize() < 0 || c.poolInitialSize() > c.poolMaxSize()) {
            errors.add("pool sizes: need 0 <= poolInitialSize <= poolMaxSize and poolMaxSize >= 1");
        }
        if (c.uidNumberStart() < 1) {
            errors.add("uidNumberStart must be >= 1");
        }
        String home = trim(c.homeDirectoryTemplate());
        if (!home.startsWith("/") || !home.contains(HOME_PLACEHOLDER)) {
            errors.add("homeDirectoryTemplate: must be absolute and contain " + HOME_PLACEHOLDER);
        }
        String shell = trim(c.loginShell());
        if (!shell.startsWith("/")) {
            errors.add("loginShell: must be an absolute path");
        }

        GroupStrategy strategy = null;
        try {
            strategy = GroupStrategy.valueOf(trim(c.groupStrategy()).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.add("groupStrategy: one of " + Arrays.toString(GroupStrategy.values()) + ", not "
                    + c.groupStrategy());
        }
        DN shared = dn("sharedGroupDn", c.sharedGroupDn(), null, errors);
        if (strategy == GroupStrategy.SHARED_GROUP) {
            if (shared == null || shared.isNullDN()) {
                errors.add("sharedGroupDn: required with groupStrategy=SHARED_GROUP");
            }
            if (c.sharedGroupGid() < 0) {
                errors.add("sharedGroupGid: required (>= 0) with groupStrategy=SHARED_GROUP");
            }
        }
        DN admin = dn("adminGroupDn", c.adminGroupDn(), null, errors);
        String adminName = trim(c.adminGroupName());
        if (adminName.isEmpty()) {
            adminName = DEFAULT_ADMIN_GROUP_NAME;
        }

        if (!c.trustAll() && !trim(c.trustStorePath()).isEmpty()
                && !new java.io.File(trim(c.trustStorePath())).canRead()) {
            errors.add("trustStorePath: cannot read " + c.trustStorePath());
        }

        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid LDAP configuration (" + LdapAuthBackend.PID + "): "
                    + String.join("; ", errors));
        }
        return new LdapSettings(List.copyOf(urls), trim(c.bindDn()), nullToEmpty(c._bindPassword()), base, userBase,
                userSearchBase, filter, idAttr, idPattern, groupBase, c.startTls(), trim(c.trustStorePath()),
                nullToEmpty(c._trustStorePassword()), trim(c.trustStoreType()), c.trustAll(), c.verifyHostname(),
                c.connectTimeoutMillis(), c.responseTimeoutMillis(), c.poolInitialSize(), c.poolMaxSize(),
                c.uidNumberStart(), counter, home, shell, strategy, shared == null || shared.isNullDN() ? null : shared,
                c.sharedGroupGid(), admin == null || admin.isNullDN() ? null : admin, adminName);
    }

    /** Whether {@code userId} is acceptable: non-null, matches {@link #userIdPattern}. */
    public boolean isValidUserId(String userId) {
        return userId != null && userIdPattern.matcher(userId).matches();
    }

    /** The login search filter for a (validated) user id, the id escaped as an assertion value. */
    public Filter userFilter(String userId) {
        try {
            return Filter.create(userFilterTemplate.replace(USER_PLACEHOLDER, Filter.encodeValue(userId)));
        } catch (LDAPException e) {
            throw new IllegalStateException("user filter does not parse for an escaped value", e);
        }
    }

    /** The DN a new user gets: {@code <userIdAttribute>=<escaped id>,<userBase>}. */
    public DN newUserDn(String userId) {
        return new DN(new RDN(userIdAttribute, userId), userBase);
    }

    /** The DN of a user's own group (ONE_GROUP_PER_USER): {@code cn=<escaped id>,<groupBase>}. */
    public DN userGroupDn(String userId) {
        return new DN(new RDN("cn", userId), groupBase);
    }

    /** The home directory of a new user. */
    public String homeDirectory(String userId) {
        return homeDirectoryTemplate.replace(HOME_PLACEHOLDER, userId);
    }

    @Override
    public String toString() { // never print the passwords
        return "LdapSettings[urls=" + urls + ", bindDn=" + bindDn + ", baseDn=" + baseDn + ", userBase=" + userBase
                + ", groupStrategy=" + groupStrategy + ", startTls=" + startTls + "]";
    }

    /**
     * The URLs of the {@code urls} property. A .cfg file gives one string, so each value may itself hold several URLs
     * separated by blanks or commas (a comma only splits where an ldap:// or ldaps:// URL follows it).
     */
    static List<String> splitUrls(String[] values) {
        List<String> out = new ArrayList<>();
        for (String v : values == null ? new String[0] : values) {
            if (v == null) {
                continue;
            }
            for (String u : v.strip().split("\\s+|\\s*,\\s*(?=ldaps?://)")) {
                if (!u.isBlank()) {
                    out.add(u.strip());
                }
            }
        }
        return out;
    }

    private static DN dn(String key, String value, DN fallback, List<String> errors) {
        String v = trim(value);
        if (v.isEmpty()) {
            return fallback == null ? DN.NULL_DN : fallback;
        }
        try {
            return new DN(v);
        } catch (LDAPException e) {
            errors.add(key + ": not a DN: " + v);
            return null;
        }
    }

    private static DN child(String rdn, DN parent) {
        if (parent == null) {
            return null;
        }
        try {
            return new DN(new RDN(rdn.substring(0, rdn.indexOf('=')), rdn.substring(rdn.indexOf('=') + 1)), parent);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String trim(String s) {
        return s == null ? "" : s.strip();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
