package org.scow.rest.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.scow.api.security.Role;

/**
 * Only callers holding one of these roles may call this resource method; a platform admin always may. Scoped roles
 * are checked against the request's path parameters:
 * <ul>
 * <li>an {@link Role.Scope#ACCOUNT account} role counts only in the account named by the path parameter
 * {@link #account()} when the path has it, otherwise in any account the caller belongs to;</li>
 * <li>a {@link Role.Scope#TENANT tenant} role counts only in the caller's tenant: the path parameter {@link #tenant()}
 * must name it, or the account named by {@link #account()} must belong to it, when the path has them.</li>
 * </ul>
 * The enforcing filter denies every resource method that carries none of {@link Public}, {@link Authenticated} or
 * {@code Allow} (fail closed).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Allow {
    Role[] value();

    /** Name of the path parameter holding the account the scoped roles apply to. */
    String account() default "account";

    /** Name of the path parameter holding the tenant the scoped roles apply to. */
    String tenant() default "tenant";
}
