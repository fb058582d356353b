package org.scow.auth.ldap.internal;

import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.scow.api.auth.AuthBackend;
import org.scow.api.auth.AuthException;
import org.scow.api.auth.NewUser;
import org.scow.api.auth.UserIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LDAP {@link AuthBackend} service ({@code scow.auth.type=ldap}). It exists only while the configuration
 * {@value #PID} exists; a configuration change restarts it with fresh connection pools.
 */
@Component(service = AuthBackend.class, configurationPid = LdapAuthBackend.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = AuthBackend.BACKEND_TYPE + "=ldap")
@Designate(ocd = LdapAuthConfig.class)
public class LdapAuthBackend implements AuthBackend {
    /** Configuration Admin PID. */
    public static final String PID = "org.scow.auth.ldap";
    private static final Logger LOG = LoggerFactory.getLogger(LdapAuthBackend.class);

    private volatile LdapDirectory directory;

    @Activate
    public void activate(LdapAuthConfig config) throws Exception {
        LdapSettings settings = LdapSettings.from(config);
        directory = new LdapDirectory(settings);
        LOG.info("LDAP auth backend active: {}", settings);
    }

    @Deactivate
    public void deactivate() {
        LdapDirectory d = directory;
        directory = null;
        if (d != null) {
            d.close();
        }
    }

    private LdapDirectory directory() throws AuthException {
        LdapDirectory d = directory;
        if (d == null) {
            throw new AuthException(AuthException.Reason.UNAVAILABLE, "the LDAP auth backend is stopped");
        }
        return d;
    }

    @Override
    public Set<Capability> capabilities() {
        LdapDirectory d = directory;
        return d == null ? Set.of() : d.capabilities();
    }

    @Override
    public Optional<UserIdentity> authenticate(String userId, char[] password) throws AuthException {
        return directory().authenticate(userId, password);
    }

    @Override
    public Optional<UserIdentity> getUser(String userId) throws AuthException {
        return directory().getUser(userId);
    }

    @Override
    public UserIdentity createUser(NewUser user) throws AuthException {
        return directory().createUser(user);
    }

    @Override
    public void changePassword(String userId, char[] oldPassword, char[] newPassword) throws AuthException {
        directory().changePassword(userId, oldPassword, newPassword);
    }
}
