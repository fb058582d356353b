package org.scow.auth.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import javax.persistence.EntityManagerFactory;
import org.apache.shiro.authc.credential.DefaultPasswordService;
import org.apache.shiro.authc.credential.PasswordService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.scow.api.auth.AuthBackend;
import org.scow.api.auth.AuthException;
import org.scow.api.auth.NewUser;
import org.scow.api.auth.UserIdentity;
import org.scow.api.scheduler.util.Names;
import org.scow.persistence.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in user store ({@code scow.auth.type=builtin}): argon2id password hashes (Shiro's
 * {@link DefaultPasswordService}) keyed by the platform's user ids, a configurable password policy, change and admin
 * reset. On first start it gives the initial platform admin a password: {@code SCOW_ADMIN_PASSWORD} (environment, or
 * system property {@code scow.admin.password}), else a generated one printed once and written to
 * {@code ${karaf.data}/scow/initial-admin-password} (mode 0600).
 */
@Component(service = {AuthBackend.class, BuiltinAuthBackend.class}, immediate = true,
        configurationPid = "org.scow.auth", property = AuthBackend.BACKEND_TYPE + "=builtin")
public class BuiltinAuthBackend implements AuthBackend {
    private static final Logger LOG = LoggerFactory.getLogger(BuiltinAuthBackend.class);

    private final AuthStore store;
    private final PasswordService passwords;
    private final PasswordPolicy policy;

    @Activate
    public BuiltinAuthBackend(@Reference(target = "(osgi.unit.name=scow-auth)") EntityManagerFactory emf,
                              @Reference Database database, AuthConfig config) {
        this(migrated(emf, database), new DefaultPasswordService(),
                new PasswordPolicy(config.passwordPattern(), config.passwordRule()));
        initialAdmin(config.initialAdmin(), adminPasswordFromEnvironment(),
                Path.of(System.getProperty("karaf.data", "data"), "scow", "initial-admin-password"));
    }

    public BuiltinAuthBackend(AuthStore store, PasswordService passwords, PasswordPolicy policy) {
        this.store = store;
        this.passwords = passwords;
        this.policy = policy;
    }

    private static AuthStore migrated(EntityManagerFactory emf, Database database) {
        database.migrate(AuthStore.CHANGELOG, BuiltinAuthBackend.class.getClassLoader());
        return new AuthStore(emf, Clock.systemUTC());
    }

    static String adminPasswordFromEnvironment() {
        String env = System.getenv("SCOW_ADMIN_PASSWORD");
        return env != null && !env.isBlank() ? env : System.getProperty("scow.admin.password");
    }

    public AuthStore store() {
        return store;
    }

    public PasswordPolicy policy() {
        return policy;
    }

    /**
     * Gives {@code adminId} a password if it has none. Answers the generated one-time password, or null when the
     * given one was used or the admin already has a password.
     */
    public String initialAdmin(String adminId, String given, Path secretFile) {
        if (adminId == null || adminId.isBlank() || store.hasCredential(adminId)) {
            return null;
        }
        boolean generated = given == null || given.isBlank();
        String password = generated ? Secrets.oneTimePassword() : given;
        try {
            store.setPasswordHash(adminId, passwords.encryptPassword(password));
        } catch (RuntimeException e) {
            if (store.hasCredential(adminId)) {
                return null; // another node was first
            }
            throw e;
        }
        if (!generated) {
            LOG.info("Initial platform admin '{}' created with the password from SCOW_ADMIN_PASSWORD", adminId);
            return null;
        }
        String where = "(not written: no data directory)";
        try {
            Files.createDirectories(secretFile.getParent());
            Files.deleteIfExists(secretFile);
            Files.createFile(secretFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(secretFile, password + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            where = secretFile.toAbsolutePath().toString();
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("Could not write {}: {}", secretFile, e.toString());
        }
        String msg = "Initial platform admin '" + adminId + "' created with the one-time password " + password
                + " (also in " + where + "); change it after the first login (POST /api/v1/auth/password)";
        LOG.warn(msg);
        System.out.println(msg);
        return password;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.CREATE_USER, Capability.CHANGE_PASSWORD, Capability.GET_USER);
    }

    @Override
    public Optional<UserIdentity> authenticate(String userId, char[] password) {
        if (userId == null || !Names.isValid(userId) || password == null || password.length == 0
                || password.length > 1024) {
            return Optional.empty();
        }
        Optional<String> hash = store.passwordHash(userId);
        if (hash.isEmpty()) {
            passwords.encryptPassword(new String(password)); // same cost either way: no user enumeration by timing
            return Optional.empty();
        }
        return passwords.passwordsMatch(new String(password), hash.get()) ? Optional.of(identity(userId))
                : Optional.empty();
    }

    @Override
    public Optional<UserIdentity> getUser(String userId) {
        return userId != null && Names.isValid(userId) && store.hasCredential(userId) ? Optional.of(identity(userId))
                : Optional.empty();
    }

    @Override
    public UserIdentity createUser(NewUser user) throws AuthException {
        if (user == null || user.userId() == null || !Names.isValid(user.userId())) {
            throw new AuthException(AuthException.Reason.INVALID_ARGUMENT, "userId " + Names.RULE);
        }
        checkPolicy(user.password());
        if (store.hasCredential(user.userId())) {
            throw new AuthException(AuthException.Reason.ALREADY_EXISTS, "user " + user.userId() + " already exists");
        }
        store.setPasswordHash(user.userId(), passwords.encryptPassword(new String(user.password())));
        return identity(user.userId());
    }

    @Override
    public void changePassword(String userId, char[] oldPassword, char[] newPassword) throws AuthException {
        if (userId == null || !Names.isValid(userId) || !store.hasCredential(userId)) {
            throw new AuthException(AuthException.Reason.USER_NOT_FOUND, "no built-in user " + userId);
        }
        if (oldPassword != null && authenticate(userId, oldPassword).isEmpty()) {
            throw new AuthException(AuthException.Reason.BAD_PASSWORD, "the old password is wrong");
        }
        checkPolicy(newPassword);
        store.setPasswordHash(userId, passwords.encryptPassword(new String(newPassword)));
    }

    /** Sets a password whether or not the user has one yet (administrator reset). */
    public void resetPassword(String userId, char[] newPassword) throws AuthException {
        if (userId == null || !Names.isValid(userId)) {
            throw new AuthException(AuthException.Reason.INVALID_ARGUMENT, "userId " + Names.RULE);
        }
        checkPolicy(newPassword);
        store.setPasswordHash(userId, passwords.encryptPassword(new String(newPassword)));
    }

    private void checkPolicy(char[] password) throws AuthException {
        if (!policy.accepts(password)) {
            throw new AuthException(AuthException.Reason.BAD_PASSWORD, "the password must have " + policy.rule());
        }
    }

    private static UserIdentity identity(String userId) {
        return new UserIdentity(userId, null, null, null, null, null, Set.of());
    }
}
