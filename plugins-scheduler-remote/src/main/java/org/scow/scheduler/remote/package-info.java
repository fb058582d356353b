/**
 * The {@code remote} scheduler driver: a cluster of a peer center, driven over the peer's federation endpoints with
 * requests signed by this center's key. {@link org.scow.scheduler.remote.RemoteDriverFactory} registers the type;
 * the rest is internal.
 */
package org.scow.scheduler.remote;
