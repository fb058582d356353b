/**
 * SSH and SFTP access to a cluster's login nodes as a Unix user of the cluster. The platform holds one key pair whose
 * public key is authorized in each user's {@code ~/.ssh/authorized_keys}; sessions are pooled per cluster, node and
 * user, and closed after a configurable idle time. Login nodes are configured per cluster with the property
 * {@code loginNodes} of the cluster's configuration ({@code etc/org.scow.cluster-<id>.cfg}), e.g.
 * {@code loginNodes = login0=10.0.0.5:22, login1=10.0.0.6}.
 */
@Export
@Version("1.1.0")
package org.scow.loginnode;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
