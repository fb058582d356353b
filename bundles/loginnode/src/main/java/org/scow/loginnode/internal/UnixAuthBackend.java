package org.scow.loginnode.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.scow.api.auth.AuthBackend;
import org.scow.api.auth.AuthException;
import org.scow.api.auth.NewUser;
import org.scow.api.auth.UserIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in with the Unix password of this machine ({@code scow.auth.type=unix}), registered while the platform runs
 * its private login node: the password is checked by an SSH password authentication (and nothing else) against that
 * sshd, so PAM decides as it does for any login. Refuses root, system accounts and nobody, and every user id the
 * built-in store knows (a Unix account must not take over a platform user such as {@code admin}).
 */
final class UnixAuthBackend implements AuthBackend {
    private static final Logger LOG = LoggerFactory.getLogger(UnixAuthBackend.class);
    static final String TYPE = "unix";

    private final SshClient client;
    private final LocalSshd sshd;
    private final long minUid;
    private final Duration timeout;
    private final Predicate<String> builtinKnows;

    /** @param builtinKnows whether the built-in store has the user (when in doubt: true) */
    UnixAuthBackend(SshClient client, LocalSshd sshd, long minUid, Duration timeout, Predicate<String> builtinKnows) {
        this.client = client;
        this.sshd = sshd;
        this.minUid = minUid;
        this.timeout = timeout;
        this.builtinKnows = builtinKnows;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.GET_USER);
    }

    @Override
    public Optional<UserIdentity> authenticate(String userId, char[] password) throws AuthException {
        Optional<UnixUsers.Account> account = person(userId);
        if (account.isEmpty() || password == null || password.length == 0 || builtinKnows.test(userId)) {
            return Optional.empty();
        }
        ClientSession session;
        try {
            session = client.connect(userId, sshd.node().host(), sshd.port()).verify(timeout).getSession();
        } catch (IOException | RuntimeException e) {
            throw new AuthException(AuthException.Reason.UNAVAILABLE, "the local login node does not answer", e);
        }
        try (session) {
            // the password and only the password: no key of any provider may stand in for it
            session.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
            session.setUserAuthFactories(List.of(UserAuthPasswordFactory.INSTANCE));
            session.addPasswordIdentity(new String(password));
            session.auth().verify(timeout);
            return Optional.of(identity(account.get()));
        } catch (IOException | RuntimeException e) {
            LOG.debug("Unix password refused for {}: {}", userId, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public Optional<UserIdentity> getUser(String userId) throws AuthException {
        return person(userId).map(UnixAuthBackend::identity);
    }

    @Override
    public UserIdentity createUser(NewUser user) throws AuthException {
        throw new AuthException(AuthException.Reason.NOT_SUPPORTED, "Unix users are created on the machine (useradd)");
    }

    @Override
    public void changePassword(String userId, char[] oldPassword, char[] newPassword) throws AuthException {
        throw new AuthException(AuthException.Reason.NOT_SUPPORTED, "Unix passwords are changed on the machine (passwd)");
    }

    private Optional<UnixUsers.Account> person(String userId) throws AuthException {
        if (!UnixUsers.isValid(userId)) {
            return Optional.empty();
        }
        try {
            return UnixUsers.lookup(userId).filter(a -> UnixUsers.isPerson(a, minUid));
        } catch (IOException e) {
            throw new AuthException(AuthException.Reason.UNAVAILABLE, "cannot read the passwd database: "
                    + e.getMessage(), e);
        }
    }

    private static UserIdentity identity(UnixUsers.Account a) {
        String gecos = a.gecos().split(",", 2)[0].trim();
        return new UserIdentity(a.user(), gecos.isEmpty() ? a.user() : gecos, null, a.uid(), a.gid(), a.home(), Set.of());
    }
}
