package org.scow.api.auth;

import org.osgi.annotation.versioning.ConsumerType;
import java.util.Optional;
import java.util.Set;

/** A directory of users that can check credentials and, depending on {@link #capabilities()}, manage users. */
@ConsumerType
public interface AuthBackend {
    /** Service property naming the backend type, e.g. {@code builtin} or {@code ldap}. */
    String BACKEND_TYPE = "scow.auth.type";

    /** What this backend can do beyond {@link #authenticate}. */
    Set<Capability> capabilities();

    /**
     * Checks a password. Wrong credentials and unknown users give an empty result, never an exception, so callers
     * cannot tell the two apart.
     *
     * @throws AuthException {@link AuthException.Reason#UNAVAILABLE} when the directory cannot be reached
     */
    Optional<UserIdentity> authenticate(String userId, char[] password) throws AuthException;

    /** Looks a user up ({@link Capability#GET_USER}). */
    Optional<UserIdentity> getUser(String userId) throws AuthException;

    /**
     * Creates a user ({@link Capability#CREATE_USER}). Either the whole user is created or nothing is.
     *
     * @throws AuthException {@link AuthException.Reason#ALREADY_EXISTS} if the id is taken
     */
    UserIdentity createUser(NewUser user) throws AuthException;

    /**
     * Changes a password ({@link Capability#CHANGE_PASSWORD}). With {@code oldPassword} null this is an administrator
     * reset; otherwise the old password must match.
     */
    void changePassword(String userId, char[] oldPassword, char[] newPassword) throws AuthException;

    /** Optional operations. */
    enum Capability { CREATE_USER, CHANGE_PASSWORD, GET_USER }
}
