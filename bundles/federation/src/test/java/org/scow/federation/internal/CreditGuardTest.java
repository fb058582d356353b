package org.scow.federation.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.scow.api.billing.CenterBilling;
import org.scow.api.scheduler.ClusterConfig;
import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.JobSpec;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.SchedulerException;
import org.scow.federation.Grant;
import org.scow.persistence.internal.SchemaMigrator;
import org.scow.persistence.testing.TestDatabases;

/**
 * A peer's jobs on a grant stay within the grant's credit limit: settled charges, unsettled jobs and running jobs at
 * their whole time limit all count; another grant's jobs do not.
 */
public class CreditGuardTest {
    /** One unit per CPU-hour on partition debug; none elsewhere, as a price table without that partition. */
    private static final CenterBilling PRICES = new CenterBilling() {
        @Override
        public Optional<BigDecimal> price(String cluster, JobInfo job) {
            if (!"debug".equals(job.partition()) || job.elapsedSeconds() == null) {
                return Optional.empty();
            }
            return Optional.of(BigDecimal.valueOf(job.cpusReq() == null ? 1 : job.cpusReq())
                    .multiply(BigDecimal.valueOf(job.elapsedSeconds())).divide(BigDecimal.valueOf(3600), 4,
                            RoundingMode.HALF_UP));
        }

        @Override
        public BigDecimal chargeAccount(String account, BigDecimal amount, String comment, String key) {
            throw new UnsupportedOperationException("the guard never charges");
        }
    };

    private EntityManagerFactory emf;
    private SettlementStore ledger;
    private SchedulerDriver local;
    private GrantedDriver peer;

    @Before
    public void setUp() throws Exception {
        DataSource ds = TestDatabases.fresh("h2", "scow_test_fed_credit");
        new SchemaMigrator(ds).migrate(FederationComponent.CHANGELOG, FederationComponent.class.getClassLoader());
        emf = TestDatabases.emf("scow-federation", ds);
        ledger = new SettlementStore(emf, Clock.systemUTC());
        local = new org.scow.itest.driver.TestDriverFactory().create(new ClusterConfig("b1", "B1", "test",
                Map.of("partitions", "debug,free")));
        local.createAccount("fa-proj", "fa-alice");
        local.createAccount("fa-other", "fa-alice");
        Grant proj = new Grant(1L, "a", "*", "proj", "fa-proj", Map.of("alice", "fa-alice"), BigDecimal.TEN, false,
                null, null);
        Grant other = new Grant(2L, "a", "*", "other", "fa-other", Map.of("alice", "fa-alice"), BigDecimal.TEN,
                false, null, null);
        CreditGuard guard = new CreditGuard("a", ledger, () -> PRICES, () -> Map.of("b1", local),
                u -> Optional.empty());
        peer = new GrantedDriver(local, List.of(proj, other), u -> Optional.empty(), "b1", guard);
    }

    @After
    public void tearDown() {
        emf.close();
    }

    private static JobSpec job(String account, String partition, int cores, long minutes) {
        return new JobSpec("alice", "j", account, partition, null, 1, cores, 0, null, minutes, "sleep 600", "/tmp",
                null, null, List.of());
    }

    private void refused(JobSpec spec, String... mentions) {
        try {
            peer.submitJob(spec);
            fail("admitted beyond the credit limit: " + spec);
        } catch (SchedulerException e) {
            assertEquals(e.getMessage(), ErrorCode.SUBMIT_FAILED, e.code());
            for (String m : mentions) {
                assertTrue(e.getMessage(), e.getMessage().contains(m));
            }
            assertEquals("10.0000", new BigDecimal(e.details().get("creditLimit")).setScale(4).toPlainString());
        }
    }

    @Test
    public void aRunningJobReservesItsWholeTimeLimit() throws Exception {
        assertNotNull("exactly the limit is admitted", peer.submitJob(job("proj", "debug", 2, 300)));
        refused(job("proj", "debug", 1, 1), "credit limit of 10", "account 'proj'", "10 used or reserved");
        assertNotNull("a partition without a price costs nothing", peer.submitJob(job("proj", "free", 8, 600)));
        assertNotNull("another grant has credit of its own", peer.submitJob(job("other", "debug", 1, 60)));
    }

    @Test
    public void settledChargesCountAndAScriptIsRefusedWhenNothingIsLeft() throws Exception {
        ledger.recordCharge("a", "b1", "old-1", "proj", "alice", Instant.now(), new BigDecimal("9.5"));
        ledger.recordCharge("a", "b1", "old-2", "other", "alice", Instant.now(), new BigDecimal("9.9"));
        refused(job("proj", "debug", 1, 60), "9.5 used or reserved", "may cost up to 1");
        assertNotNull(peer.submitJob(job("proj", "debug", 1, 30)));
        assertNotNull("0.1 is left on 'other'", peer.submitJob(job("other", "debug", 1, 6)));
        try {
            peer.submitScript("alice", "#!/bin/bash\n#SBATCH --account=proj\n#SBATCH -p debug\nsleep 1\n", "/tmp");
            fail("a script on a grant without credit left");
        } catch (SchedulerException e) {
            assertEquals(e.getMessage(), ErrorCode.SUBMIT_FAILED, e.code());
        }
    }
}
