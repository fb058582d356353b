/**
 * Who may do what: the platform's roles and the {@link org.scow.api.security.RoleDirectory} that answers, for a
 * user, which roles they hold on the platform, in their tenant and in each account. The management bundle
 * implements the directory; authentication and authorization use it.
 */
@Export
@Version("1.3.0")
package org.scow.api.security;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
