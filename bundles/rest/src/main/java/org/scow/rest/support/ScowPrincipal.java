package org.scow.rest.support;

import java.security.Principal;
import org.scow.api.security.UserRoles;

/**
 * The authenticated caller, as {@code SecurityContext.getUserPrincipal()} gives it.
 *
 * @param userId  the user id
 * @param roles   the caller's roles from the role directory, or null when the platform does not know the user
 * @param via     {@code session} or {@code token}
 */
public record ScowPrincipal(String userId, UserRoles roles, String via) implements Principal {
    @Override
    public String getName() {
        return userId;
    }
}
