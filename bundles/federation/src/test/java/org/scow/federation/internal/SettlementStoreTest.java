package org.scow.federation.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.scow.federation.Settlement;
import org.scow.persistence.internal.SchemaMigrator;
import org.scow.persistence.testing.TestDatabases;

/**
 * Two centers' ledgers in two databases: B records what A owes, A mirrors B's feed page by page, with a restart of
 * A and a repeated page in between; the statements of both agree to the cent.
 */
@RunWith(Parameterized.class)
public class SettlementStoreTest {
    @Parameterized.Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabases.selected();
    }

    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private final String product;
    private DataSource dsA;
    private DataSource dsB;
    private EntityManagerFactory emfA;
    private EntityManagerFactory emfB;

    public SettlementStoreTest(String product) {
        this.product = product;
    }

    @Before
    public void setUp() throws Exception {
        dsA = TestDatabases.fresh(product, "scow_test_fed_a");
        dsB = TestDatabases.fresh(product, "scow_test_fed_b");
        for (DataSource ds : List.of(dsA, dsB)) {
            new SchemaMigrator(ds).migrate(FederationComponent.CHANGELOG, FederationComponent.class.getClassLoader());
        }
        emfA = TestDatabases.emf("scow-federation", dsA);
        emfB = TestDatabases.emf("scow-federation", dsB);
    }

    @After
    public void tearDown() {
        emfA.close();
        emfB.close();
    }

    @Test
    public void bothSidesAgreeToTheCentThroughRestartsAndRepeats() {
        SettlementStore b = new SettlementStore(emfB, Clock.systemUTC());
        BigDecimal expected = BigDecimal.ZERO;
        for (int i = 1; i <= 25; i++) {
            BigDecimal amount = new BigDecimal("0.0001").multiply(BigDecimal.valueOf(i * 1237L));
            assertTrue(b.recordCharge("a", "b1", String.valueOf(i), "proj", "alice", T0.plusSeconds(i * 3600L),
                    amount));
            expected = expected.add(amount);
        }
        assertFalse("a job is charged once", b.recordCharge("a", "b1", "3", "proj", "alice", T0, BigDecimal.TEN));
        assertTrue("another peer's job of the same id is its own",
                b.recordCharge("c", "b1", "3", "x", "y", T0, BigDecimal.ONE));

        SettlementStore a = new SettlementStore(emfA, Clock.systemUTC());
        int mirrored = 0;
        for (int pass = 0; pass < 3; pass++) {
            List<Settlement.Entry> page = b.feed("a", a.watermark("b"), 10);
            for (Settlement.Entry e : page) {
                mirrored += a.mirror("b", e, null) ? 1 : 0;
            }
            for (Settlement.Entry e : page) {
                assertFalse("a repeated page mirrors nothing", a.mirror("b", e, null));
            }
            if (pass == 1) { // A restarts: the watermark comes back from its database
                emfA.close();
                emfA = TestDatabases.emf("scow-federation", dsA);
                a = new SettlementStore(emfA, Clock.systemUTC());
            }
        }
        assertEquals(25, mirrored);
        assertEquals(List.of(), b.feed("a", a.watermark("b"), 10));

        Instant from = T0;
        Instant to = T0.plusSeconds(30 * 3600L);
        Settlement.Statement atB = b.statement("b", "a", from, to);
        Settlement.Statement atA = a.statement("a", "b", from, to);
        assertEquals(expected.setScale(4), atB.owedByPeer());
        assertEquals(atB.owedByPeer(), atA.owedToPeer());
        assertEquals(25, atB.jobsOwedByPeer());
        assertEquals(25, atA.jobsOwedToPeer());
        assertEquals(0, atA.jobsOwedByPeer());

        Settlement.Statement firstHalf = b.statement("b", "a", from, T0.plusSeconds(12 * 3600L + 1));
        assertEquals(12, firstHalf.jobsOwedByPeer());
    }
    /** FIGURE: settlement throughput of the stores: recording at the running center, mirroring at home. */
    @Test
    public void throughput() {
        SettlementStore b = new SettlementStore(emfB, Clock.systemUTC());
        SettlementStore a = new SettlementStore(emfA, Clock.systemUTC());
        int n = 1000;
        long t0 = System.nanoTime();
        List<SettlementStore.Charge> charges = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            charges.add(new SettlementStore.Charge("b1", "j" + i, "proj", "alice", T0.plusSeconds(i),
                    new BigDecimal("1.2345")));
        }
        for (int i = 0; i < n; i += 500) {
            b.recordCharges("a", charges.subList(i, i + 500));
        }
        assertEquals("recording again adds nothing", 0, b.recordCharges("a", charges.subList(0, 500)));
        long t1 = System.nanoTime();
        int mirrored = 0;
        for (List<Settlement.Entry> page = b.feed("a", 0, 500); !page.isEmpty();
             page = b.feed("a", a.watermark("b"), 500)) {
            mirrored += a.mirrorAll("b", page, java.util.Collections.nCopies(page.size(), (String) null));
        }
        long t2 = System.nanoTime();
        assertEquals(n, mirrored);
        System.out.printf("FIGURE settlement on %s: record %.0f charges/s, mirror %.0f charges/s (n=%d)%n", product,
                n / ((t1 - t0) / 1e9), n / ((t2 - t1) / 1e9), n);
    }
}
