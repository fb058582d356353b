package org.scow.auth.ldap.internal;

/** The primary group a created user gets. */
public enum GroupStrategy {
    /** A posixGroup {@code cn=<user id>} under the group base, gidNumber = the user's uidNumber, memberUid = user. */
    ONE_GROUP_PER_USER,
    /** An existing posixGroup shared by all created users; the user is added as memberUid, gidNumber = its gid. */
    SHARED_GROUP
}
