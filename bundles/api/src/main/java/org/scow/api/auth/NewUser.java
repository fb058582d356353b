package org.scow.api.auth;

/**
 * A user to create.
 *
 * @param userId    login name
 * @param name      display name
 * @param email     mail address, or null
 * @param password  initial password
 */
public record NewUser(String userId, String name, String email, char[] password) {
}
