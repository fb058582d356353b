package org.scow.federation;

import java.math.BigDecimal;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * What a job would cost on a cluster under that center's own price table. Offered by the billing of a center (not
 * yet: until then routing shows the price as unknown and decides by the other criteria).
 */
@ConsumerType
public interface PriceQuotes {
    /** Price of {@code coreHours} CPU core-hours and {@code gpuHours} GPU-hours in {@code partition}, if priced. */
    Optional<BigDecimal> quote(String cluster, String partition, BigDecimal coreHours, BigDecimal gpuHours);
}
