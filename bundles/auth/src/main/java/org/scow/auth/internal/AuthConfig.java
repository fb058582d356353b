package org.scow.auth.internal;

import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code org.scow.auth} (etc/org.scow.auth.cfg), read by AuthService and the built-in backend. */
@ObjectClassDefinition(name = "SCOW authentication",
        description = "Access rules, sign-in backends, sessions, password policy, login throttling, body limits")
public @interface AuthConfig {
    /**
     * Enforce the REST access rules (the default). Off is for migrations only: anonymous requests then pass, the
     * acting user may be named by the X-Scow-User header, and what would be denied is only logged.
     */
    boolean enforce() default true;

    /** Auth backend types tried at login, in order. */
    String backendOrder() default "builtin,unix,ldap";

    /** Idle minutes after which a session ends (every request extends it). */
    int sessionTimeoutMinutes() default 30;

    /** The full-match pattern of new built-in passwords, and the text telling users what it demands. */
    String passwordPattern() default PasswordPolicy.DEFAULT_PATTERN;

    String passwordRule() default PasswordPolicy.DEFAULT_RULE;

    /** Failed logins per user id, and per source address, within {@link #loginWindowSeconds()}. */
    int maxFailuresPerUser() default 10;

    int maxFailuresPerIp() default 50;

    int loginWindowSeconds() default 60;

    /** The initial platform admin's user id (the same as management's {@code initialAdmin}). */
    String initialAdmin() default "admin";

    /** Largest request body in bytes (JSON and other structured bodies). */
    long maxBodyBytes() default 2L * 1024 * 1024;

    /** Largest raw ({@code application/octet-stream}) body in bytes: one upload chunk or one edited file. */
    long maxUploadBodyBytes() default 64L * 1024 * 1024;

    /** Longest lifetime of an API token, in days. */
    int maxTokenDays() default 365;
}
