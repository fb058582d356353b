package __package__.auth;

import java.util.Optional;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.scow.api.auth.AuthBackend;
import org.scow.api.auth.AuthException;
import org.scow.api.auth.NewUser;
import org.scow.api.auth.UserIdentity;

/**
 * The {@code __name__} auth backend ({@code scow.auth.type=__name__}). It exists only while its configuration
 * {@code etc/__groupId__.__name__.auth.cfg} exists. Sign-in is refused until {@link #authenticate} asks your directory.
 */
@Component(service = AuthBackend.class, configurationPid = __Name__AuthBackend.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = AuthBackend.BACKEND_TYPE + "=__name__")
@Designate(ocd = __Name__AuthBackend.Config.class)
public class __Name__AuthBackend implements AuthBackend {
    /** Configuration PID. */
    public static final String PID = "__groupId__.__name__.auth";

    /** Configuration of {@link #PID}. */
    @ObjectClassDefinition(name = "__Name__ auth backend", description = "Where the __Name__ directory is")
    public @interface Config {
        @AttributeDefinition(description = "Address of the directory")
        String url() default "";
    }

    private final Config config;

    @Activate
    public __Name__AuthBackend(Config config) {
        this.config = config;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of();
    }

    @Override
    public Optional<UserIdentity> authenticate(String userId, char[] password) throws AuthException {
        return Optional.empty(); // ask the directory at config.url() here
    }

    @Override
    public Optional<UserIdentity> getUser(String userId) throws AuthException {
        throw new AuthException(AuthException.Reason.NOT_SUPPORTED, "getUser is not offered");
    }

    @Override
    public UserIdentity createUser(NewUser user) throws AuthException {
        throw new AuthException(AuthException.Reason.NOT_SUPPORTED, "createUser is not offered");
    }

    @Override
    public void changePassword(String userId, char[] oldPassword, char[] newPassword) throws AuthException {
        throw new AuthException(AuthException.Reason.NOT_SUPPORTED, "changePassword is not offered");
    }
}
