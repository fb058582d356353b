package org.scow.federation.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.Test;
import org.scow.api.billing.CenterBilling;
import org.scow.api.scheduler.JobInfo;
import org.scow.federation.Settlement;

/**
 * Mirroring a page of a peer's feed at home: a refusal is recorded with its reason and the page goes on; a failure
 * (billing stopping in a restart) stops the page before that entry, so it is charged by the next pass, not lost.
 */
public class HomeChargesTest {
    private static Settlement.Entry entry(long seq, String account, String amount) {
        return new Settlement.Entry(seq, "b", Settlement.Direction.OWED_BY_PEER, null, "b1", "job" + seq, account,
                "alice", Instant.parse("2026-12-01T00:00:00Z"), new BigDecimal(amount), null);
    }

    /** Billing that refuses account "gone" and fails while {@code down}. */
    private static final class Billing implements CenterBilling {
        final List<String> keys = new ArrayList<>();
        boolean down;

        @Override
        public Optional<BigDecimal> price(String cluster, JobInfo job) {
            return Optional.empty();
        }

        @Override
        public BigDecimal chargeAccount(String account, BigDecimal amount, String comment, String key) {
            if ("gone".equals(account)) {
                throw new IllegalArgumentException("account: 'gone' not found");
            }
            if (down && "physics".equals(account) && key.endsWith("-4")) {
                throw new IllegalStateException("EntityManagerFactory is closed");
            }
            keys.add(key);
            return BigDecimal.ZERO;
        }
    }

    @Test
    public void aRefusalIsNotedAndAFailureStopsThePageForTheNextPass() {
        List<Settlement.Entry> page = Arrays.asList(entry(1, "physics", "1.5"), entry(2, "physics", "0"),
                entry(3, "gone", "2"), entry(4, "physics", "0.0011"), entry(5, "physics", "3"));
        Billing billing = new Billing();
        billing.down = true;
        SettlementComponent.HomeCharges first = SettlementComponent.chargeAtHome("b", page, billing);
        assertEquals("entries before the failure only", 3, first.notes().size());
        assertNull(first.notes().get(0));
        assertNull("nothing to charge", first.notes().get(1));
        assertTrue(first.notes().get(2), first.notes().get(2).startsWith("not charged at home: account: 'gone'"));
        assertSame(IllegalStateException.class, first.failure().getClass());
        assertEquals(List.of("fed-b-1"), billing.keys);

        billing.down = false;
        SettlementComponent.HomeCharges retry = SettlementComponent.chargeAtHome("b", page.subList(3, 5), billing);
        assertNull(retry.failure());
        assertEquals(Arrays.asList(null, null), retry.notes());
        assertEquals("each charge once, by the feed's sequence", List.of("fed-b-1", "fed-b-4", "fed-b-5"),
                billing.keys);
    }
}
