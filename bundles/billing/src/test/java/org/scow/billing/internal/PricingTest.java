package org.scow.billing.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.Test;
import org.scow.api.scheduler.Partition;
import org.scow.billing.AmountStrategy;
import org.scow.management.ManagementException;

/** Price selection, amount strategies, rounding and the minimum charge; money validation. */
public class PricingTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static PriceItemEntity item(long id, String tenant, String qos, String price, Instant from) {
        PriceItemEntity i = new PriceItemEntity();
        i.id = id;
        i.tenant = tenant;
        i.cluster = "hpc1";
        i.partition = "gpu";
        i.qos = qos;
        i.price = new BigDecimal(price);
        i.amount = "CPUS";
        i.validFrom = from;
        return i;
    }

    @Test
    public void mostSpecificThenLatestValidItemWins() {
        List<PriceItemEntity> items = List.of(
                item(1, null, null, "1", T0),
                item(2, null, null, "2", T0.plusSeconds(100)),
                item(3, null, "high", "5", T0),
                item(4, "physics", null, "3", T0),
                item(5, null, null, "9", T0.plusSeconds(1000)));
        assertEquals(1L, (long) Pricing.find(items, null, "hpc1", "gpu", "normal", T0.plusSeconds(50)).get().id);
        assertEquals(2L, (long) Pricing.find(items, null, "hpc1", "gpu", "normal", T0.plusSeconds(500)).get().id);
        assertEquals("QoS match beats a later generic item", 3L,
                (long) Pricing.find(items, null, "hpc1", "gpu", "high", T0.plusSeconds(2000)).get().id);
        assertEquals(4L, (long) Pricing.forAccount(items, "physics", "hpc1", "gpu", null, T0.plusSeconds(500)).get().id);
        assertEquals("no tenant item: the default table", 2L,
                (long) Pricing.forAccount(items, "chemistry", "hpc1", "gpu", null, T0.plusSeconds(500)).get().id);
        assertTrue(Pricing.find(items, null, "hpc1", "gpu", null, T0.minusSeconds(1)).isEmpty());
        assertTrue(Pricing.find(items, null, "hpc2", "gpu", null, T0.plusSeconds(1)).isEmpty());
    }

    @Test
    public void chargeIsPriceTimesAmountTimesHoursRoundedWithAMinimum() {
        Pricing p = new Pricing(2, new BigDecimal("0.05"));
        assertEquals(new BigDecimal("1.5000"), p.charge(new BigDecimal("0.5"), BigDecimal.valueOf(2), 5400));
        assertEquals("rounded half up to 2 decimals", new BigDecimal("0.1200"),
                p.charge(new BigDecimal("0.1234"), BigDecimal.ONE, 3600));
        assertEquals("minimum charge", new BigDecimal("0.0500"), p.charge(new BigDecimal("1"), BigDecimal.ONE, 1));
        assertEquals("free stays free", new BigDecimal("0.0000"), p.charge(BigDecimal.ZERO, BigDecimal.TEN, 3600));
        Pricing exact = new Pricing(4, BigDecimal.ZERO);
        assertEquals(new BigDecimal("0.0003"), exact.charge(new BigDecimal("1"), BigDecimal.ONE, 1));
    }

    @Test
    public void amountStrategies() {
        Partition part = new Partition("gpu", 2, 64, 256_000, 8, List.of(), null, true, null); // 4000 MB/core, 8 cores/GPU
        assertEquals(BigDecimal.valueOf(4), AmountStrategy.CPUS.amount(4, 1, 100_000L, part));
        assertEquals(BigDecimal.valueOf(1), AmountStrategy.GPUS.amount(4, 1, 100_000L, part));
        assertEquals("100000 MB = 25 cores of memory", BigDecimal.valueOf(25),
                AmountStrategy.MAX_CPUS_MEM.amount(4, 1, 100_000L, part));
        assertEquals(BigDecimal.valueOf(4), AmountStrategy.MAX_CPUS_MEM.amount(4, 1, 1_000L, part));
        assertEquals("17 cores = 3 GPUs' worth", BigDecimal.valueOf(3),
                AmountStrategy.MAX_GPUS_CPUS.amount(17, 1, 0L, part));
        assertEquals(BigDecimal.valueOf(2), AmountStrategy.MAX_GPUS_CPUS.amount(1, 2, 0L, part));
    }

    @Test
    public void moneyRejectsNegativeAndOverPreciseAmounts() {
        assertEquals(new BigDecimal("12.5000"), Money.positive("amount", new BigDecimal("12.5")));
        assertEquals(new BigDecimal("1.0000"), Money.positive("amount", new BigDecimal("1.000000")));
        for (String bad : new String[] {"-1", "0", "0.00001", "1.23456"}) {
            try {
                Money.positive("amount", new BigDecimal(bad));
                throw new AssertionError(bad + " was accepted");
            } catch (ManagementException e) {
                assertEquals(400, e.status());
                assertEquals("amount", e.details().get("field"));
            }
        }
        assertEquals(new BigDecimal("-5.0000"), Money.amount("threshold", new BigDecimal("-5")));
    }
}
