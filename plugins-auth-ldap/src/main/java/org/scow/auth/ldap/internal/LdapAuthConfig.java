package org.scow.auth.ldap.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Configuration of the LDAP auth backend, PID {@code org.scow.auth.ldap} ({@code etc/org.scow.auth.ldap.cfg}).
 * Secrets use keys starting with a dot ({@code .bindPassword}, {@code .trustStorePassword}): by OSGi convention those
 * are private and are not copied into the service properties of the registered {@code AuthBackend}.
 */
@ObjectClassDefinition(id = LdapAuthBackend.PID, name = "SCOW LDAP auth backend",
        description = "Login by search + bind against an LDAP directory, POSIX user creation, Password Modify.")
public @interface LdapAuthConfig {

    @AttributeDefinition(description = "Directory URLs, ldap:// or ldaps://; several = fail-over in the given order.")
    String[] urls() default {"ldap://127.0.0.1:389"};

    @AttributeDefinition(description = "DN the backend binds as for searches and user management; empty = anonymous"
            + " (then only login works).", required = false)
    String bindDn() default "";

    @AttributeDefinition(name = "Bind password", description = "Password of bindDn (private property).",
            type = AttributeType.PASSWORD, required = false)
    String _bindPassword() default "";

    @AttributeDefinition(description = "Base DN of the directory.")
    String baseDn() default "dc=example,dc=org";

    @AttributeDefinition(description = "Where new users are created; empty = ou=People,<baseDn>.", required = false)
    String userBase() default "";

    @AttributeDefinition(description = "Where users are searched at login; empty = userBase.", required = false)
    String userSearchBase() default "";

    @AttributeDefinition(description = "User search filter; {0} is replaced by the escaped user id.")
    String userFilter() default "(uid={0})";

    @AttributeDefinition(description = "Naming attribute (RDN) of created users; it also holds the user id.")
    String userIdAttribute() default "uid";

    @AttributeDefinition(description = "Regular expression a user id must match before it reaches the directory.")
    String userIdPattern() default "[a-z_][a-z0-9_.-]{0,31}";

    @AttributeDefinition(description = "Where groups are searched and per-user groups are created; empty ="
            + " ou=Groups,<baseDn>.", required = false)
    String groupBase() default "";

    @AttributeDefinition(description = "Use the StartTLS extended operation on ldap:// URLs.")
    boolean startTls() default false;

    @AttributeDefinition(description = "Trust store for ldaps:// and StartTLS; empty = the JVM's default trust.",
            required = false)
    String trustStorePath() default "";

    @AttributeDefinition(name = "Trust store password", description = "Trust store password (private property).",
            type = AttributeType.PASSWORD, required = false)
    String _trustStorePassword() default "";

    @AttributeDefinition(description = "Trust store type (PKCS12, JKS).")
    String trustStoreType() default "PKCS12";

    @AttributeDefinition(description = "Trust every server certificate. Tests only: allows man-in-the-middle.")
    boolean trustAll() default false;

    @AttributeDefinition(description = "Check that the server certificate names the host of the URL.")
    boolean verifyHostname() default true;

    @AttributeDefinition(description = "TCP connect timeout in milliseconds.")
    int connectTimeoutMillis() default 3000;

    @AttributeDefinition(description = "Timeout of every LDAP operation in milliseconds.")
    int responseTimeoutMillis() default 5000;

    @AttributeDefinition(description = "Connections opened at start in each of the two pools (service, login).")
    int poolInitialSize() default 1;

    @AttributeDefinition(description = "Maximum connections of each of the two pools (service, login).")
    int poolMaxSize() default 8;

    @AttributeDefinition(description = "Lowest uidNumber given to created users (and gidNumber of per-user groups).")
    long uidNumberStart() default 20000;

    @AttributeDefinition(description = "Entry holding the next uidNumber, updated atomically; created on first use."
            + " Empty = cn=scow-uid-counter,<baseDn>.", required = false)
    String uidCounterDn() default "";

    @AttributeDefinition(description = "Home directory of created users; {uid} is replaced by the user id.")
    String homeDirectoryTemplate() default "/home/{uid}";

    @AttributeDefinition(description = "Login shell of created users.")
    String loginShell() default "/bin/bash";

    @AttributeDefinition(description = "Primary group of created users.", options = {
            @Option(label = "A posixGroup per user, cn=<user id>, gidNumber = uidNumber", value = "ONE_GROUP_PER_USER"),
            @Option(label = "One shared posixGroup (sharedGroupDn, sharedGroupGid)", value = "SHARED_GROUP")})
    String groupStrategy() default "ONE_GROUP_PER_USER";

    @AttributeDefinition(description = "SHARED_GROUP: DN of the existing posixGroup users are added to (memberUid).",
            required = false)
    String sharedGroupDn() default "";

    @AttributeDefinition(description = "SHARED_GROUP: gidNumber of that group (the users' primary gid).")
    long sharedGroupGid() default -1;

    @AttributeDefinition(description = "DN of the LDAP group whose members are platform administrators; empty = none.",
            required = false)
    String adminGroupDn() default "";

    @AttributeDefinition(description = "Group name reported in UserIdentity.groups() for members of adminGroupDn.")
    String adminGroupName() default LdapSettings.DEFAULT_ADMIN_GROUP_NAME;
}
