/**
 * The authentication backend SPI: where the platform checks passwords and creates user identities (built-in store,
 * LDAP, ...). Backends register {@link org.scow.api.auth.AuthBackend} services with the property
 * {@value org.scow.api.auth.AuthBackend#BACKEND_TYPE}.
 */
@Export
@Version("1.1.0")
package org.scow.api.auth;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
