/**
 * For bundles that add JAX-RS resources to the platform API: errors that become the API's JSON error body, and
 * request-parameter parsing whose errors name the parameter, and CSV downloads. Resources are DS components with {@code @JaxrsResource}
 * and {@code @JSONRequired}; the platform's JSON provider and exception mappers then apply to them, and the OpenAPI
 * document includes them.
 */
@Export
@Version("1.5.0")
package org.scow.rest.support;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
