package org.scow.api.security;

import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Which identities may never become platform users or run jobs: system accounts. A name is a system account when it
 * is on the deny list (root and the usual service accounts) or when the host's user database gives it a uid below
 * the configured minimum (default 1000, the first uid Debian gives to people). The platform refuses to create such
 * users, to give them passwords, to sign them in and to submit jobs for them; the schedulers enforce the same rule on
 * their side (Crane's controller and craned, the Slurm driver), so a compromised or mistaken platform still cannot
 * start a job as root.
 *
 * <p>Configured by PID {@code org.scow.security} ({@code minUid}, {@code denyUsers}, {@code allowUsers}).
 */
@ProviderType
public interface SystemAccountPolicy {
    /**
     * Why {@code user} may not be a platform user or run jobs, in words for the caller ("user 'root' is a system
     * account (uid 0)..."); empty when it may.
     */
    Optional<String> refusal(String user);

    /** The lowest uid that may run jobs. */
    int minUid();
}
