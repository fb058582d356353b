/**
 * The in-memory scheduler behind the {@code test} driver: accounts, a node pool with CPU, memory and GPU allocation,
 * and jobs that run on simulated time. Private to the bundle.
 */
package org.scow.itest.driver.internal;
