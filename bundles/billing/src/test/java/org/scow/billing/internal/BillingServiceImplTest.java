package org.scow.billing.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.JobQuery;
import org.scow.api.scheduler.JobSpec;
import org.scow.api.scheduler.JobState;
import org.scow.billing.Adjustment;
import org.scow.billing.AmountStrategy;
import org.scow.billing.Balance;
import org.scow.billing.BillingService;
import org.scow.billing.Charge;
import org.scow.billing.Scope;
import org.scow.billing.StatisticsReport;
import org.scow.billing.StoredJob;
import org.scow.management.Actor;
import org.scow.management.AuditLog;
import org.scow.management.ClusterSync;
import org.scow.management.ManagementException;
import org.scow.management.internal.ClusterSyncService;
import org.scow.management.internal.FakeClusters;
import org.scow.management.internal.ManagementStore;
import org.scow.management.internal.TestDatabases;
import org.scow.persistence.internal.SchemaMigrator;

/**
 * Balances, exactly-once job charging, crash repair, threshold blocking and refusals, on the real changelogs and
 * persistence units, against each supported database, with the in-memory scheduler as the cluster.
 */
@RunWith(Parameterized.class)
public class BillingServiceImplTest {
    @Parameterized.Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabases.selected();
    }

    private static final Actor FIN = new Actor("finance", "192.0.2.1");
    /** The in-memory cluster runs 3600 times faster than the wall clock; the platform looks 30 days ahead. */
    private static final Clock AHEAD = Clock.offset(Clock.systemUTC(), Duration.ofDays(30));

    private final String product;
    private EntityManagerFactory mgmtEmf;
    private EntityManagerFactory billEmf;
    private ManagementStore management;
    private BillingServiceImpl billing;
    private FakeClusters clusters;
    private FakeClusters.FakeCluster hpc1;
    private ClusterSyncService sync;

    public BillingServiceImplTest(String product) {
        this.product = product;
    }

    @Before
    public void setUp() throws Exception {
        DataSource ds = TestDatabases.fresh(product, "scow_test_billing");
        SchemaMigrator db = TestDatabases.migrate(ds);
        List<String> applied = db.migrate(BillingComponent.CHANGELOG, BillingComponent.class.getClassLoader());
        assertTrue(applied.contains("billing-001-model"));
        assertEquals("idempotent", applied, db.migrate(BillingComponent.CHANGELOG,
                BillingComponent.class.getClassLoader()));
        mgmtEmf = TestDatabases.emf("scow-management", ds);
        billEmf = TestDatabases.emf("scow-billing", ds);
        management = new ManagementStore(mgmtEmf, Clock.systemUTC());
        management.bootstrap("default", "admin");
        billing = new BillingServiceImpl(billEmf, management, management.audit(), Clock.systemUTC(), new Pricing(4, BigDecimal.ZERO));
        clusters = new FakeClusters();
        hpc1 = clusters.add("hpc1", Map.of("timeScale", "3600", "partitions", "cpu,gpu", "gpusPerNode", "2"));
        sync = new ClusterSyncService(clusters, management, () -> billing, Clock.systemUTC());
        management.onAccountChanged(sync::syncAccount);
        billing.onAccountStateChanged(sync::syncAccount);

        Actor admin = new Actor("admin", null);
        management.createUser(admin, "bob", null, null, "default");
        management.createAccount(admin, "a_bob", "default", "bob", null);
    }

    @After
    public void tearDown() {
        clusters.closeAll();
        billEmf.close();
        mgmtEmf.close();
    }

    private BigDecimal accountBalance() {
        return billing.balance(BillingService.ACCOUNT, "a_bob").balance();
    }

    private BigDecimal tenantBalance() {
        return billing.balance(BillingService.TENANT, "default").balance();
    }

    @Test
    public void aPaymentRetriedWithItsKeyPaysOnce() throws Exception {
        Balance first = billing.pay(FIN, BillingService.ACCOUNT, "a_bob", new BigDecimal("10"), "bank",
                "top-up", "pay-0001");
        Balance again = billing.pay(FIN, BillingService.ACCOUNT, "a_bob", new BigDecimal("10"), "bank",
                "top-up", "pay-0001");
        assertEquals(new BigDecimal("10.0000"), accountBalance());
        assertEquals(first.balance(), again.balance());
        assertEquals(1, billing.payments(BillingService.ACCOUNT, "a_bob", null, null, 100).size());
        // the same key for another request is the client's mistake, not a replay of something else
        try {
            billing.pay(FIN, BillingService.ACCOUNT, "a_bob", new BigDecimal("1000"), "bank", "top-up", "pay-0001");
            fail("a reused key paid");
        } catch (ManagementException e) {
            assertEquals(422, e.status());
        }
        // another caller's key of the same name is another key
        billing.pay(new Actor("finance2", null), BillingService.ACCOUNT, "a_bob", new BigDecimal("10"), "bank",
                "top-up", "pay-0001");
        assertEquals(new BigDecimal("20.0000"), accountBalance());
        // charges too, and concurrently: sixteen tries of one key charge once
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Callable<Balance>> tries = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            tries.add(() -> billing.charge(FIN, BillingService.ACCOUNT, "a_bob", new BigDecimal("3"), "storage",
                    "charge-42"));
        }
        try {
            for (Future<Balance> f : pool.invokeAll(tries)) {
                assertEquals(new BigDecimal("17.0000"), f.get().balance());
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(new BigDecimal("17.0000"), accountBalance());
        assertEquals(1, billing.charges(BillingService.ACCOUNT, "a_bob", null, null, 100).size());
        try {
            billing.pay(FIN, BillingService.ACCOUNT, "a_bob", BigDecimal.ONE, null, null, "bad key with spaces");
            fail("a malformed key was taken");
        } catch (ManagementException e) {
            assertEquals(400, e.status());
        }
    }

    @Test
    public void anAmountBeyondWhatTheDatabaseStoresIsRefusedNamingTheField() {
        BigDecimal huge = new BigDecimal("999999999999999.9999");
        billing.pay(FIN, BillingService.ACCOUNT, "a_bob", huge, "bank", null);
        try {
            billing.pay(FIN, BillingService.ACCOUNT, "a_bob", huge, "bank", null);
            fail("the balance overflowed");
        } catch (ManagementException e) {
            assertEquals(400, e.status());
            assertEquals("amount", e.details().get("field"));
        }
        try {
            billing.pay(FIN, BillingService.TENANT, "default", new BigDecimal("1000000000000000"), "bank", null);
            fail("took an amount beyond the column");
        } catch (ManagementException e) {
            assertEquals("amount", e.details().get("field"));
        }
        assertEquals(huge, accountBalance());
    }

    @Test
    public void thousandConcurrentPaysAndChargesLeaveTheExactBalance() throws Exception {
        billing.pay(FIN, BillingService.ACCOUNT, "a_bob", new BigDecimal("1000"), "bank", "initial");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Callable<Object>> ops = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            ops.add(() -> billing.pay(FIN, BillingService.ACCOUNT, "a_bob", new BigDecimal("1.2345"), "bank", null));
            ops.add(() -> billing.charge(FIN, BillingService.ACCOUNT, "a_bob", new BigDecimal("0.9876"), null));
        }
        try {
            for (Future<Object> f : pool.invokeAll(ops)) {
                f.get();
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
        // 1000 + 500 × (1.2345 − 0.9876)
        assertEquals(new BigDecimal("1123.4500"), accountBalance());
        assertEquals(501, billing.payments(BillingService.ACCOUNT, "a_bob", null, null, 10_000).size());
        assertEquals(500, billing.charges(BillingService.ACCOUNT, "a_bob", null, null, 10_000).size());
    }

    @Test
    public void aRetroactivePriceChangeAddsAdjustmentsExactlyOnce() throws Exception {
        prices();
        billing.pay(FIN, BillingService.ACCOUNT, "a_bob", new BigDecimal("100"), "bank", null);
        billing.pay(FIN, BillingService.TENANT, "default", new BigDecimal("100"), "bank", null);
        runJobs(3);
        assertEquals(3, new JobFetcher(billing.jobCharging(), AHEAD, 10, Duration.ofMinutes(10)).run("hpc1", hpc1.scheduler)
                .charged());
        // the simulated jobs end ahead of the wall clock: a store whose clock is ahead may reach back over them
        BillingServiceImpl ahead = new BillingServiceImpl(billEmf, management, management.audit(), AHEAD, new Pricing(4, BigDecimal.ZERO));
        Instant from = Instant.now().minus(Duration.ofDays(1));
        Instant to = AHEAD.instant();
        Pricing pricing = new Pricing(4, BigDecimal.ZERO);
        List<StoredJob> jobs = billing.jobs("hpc1", "a_bob", null, null, 100);
        BigDecimal tenantBefore = tenantBalance();
        BigDecimal accountBefore = accountBalance();
        BigDecimal tenantCharged = sum(BillingService.TENANT, "default");

        // the default table prices the tenant: only tenant charges change
        Adjustment up = ahead.changePriceRetroactively(FIN, null, "hpc1", "cpu", null,
                new BigDecimal("0.8"), AmountStrategy.CPUS, from, to, "cpu got dearer");
        BigDecimal expected = jobs.stream().map(j -> pricing.charge(new BigDecimal("0.8"), BigDecimal.valueOf(2),
                j.elapsedSeconds())).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(3, up.jobs());
        assertEquals(3, up.records());
        assertEquals(0, up.accountDifference().signum());
        assertEquals(expected.subtract(tenantCharged).setScale(4), up.tenantDifference());
        assertEquals(expected.setScale(4), sum(BillingService.TENANT, "default").setScale(4));
        assertEquals(tenantBefore.subtract(up.tenantDifference()), tenantBalance());
        assertEquals(accountBefore, accountBalance());

        // applying it again, or the same price again, adds nothing
        Adjustment again = ahead.applyPriceChange(FIN, up.change().id());
        assertEquals(0, again.records());
        assertEquals(0, ahead.changePriceRetroactively(FIN, null, "hpc1", "cpu", null, new BigDecimal("0.8"),
                AmountStrategy.CPUS, from, to, null).records());
        assertEquals(tenantBefore.subtract(up.tenantDifference()), tenantBalance());

        // the tenant's own table prices the account: a cheaper price refunds it
        Adjustment down = ahead.changePriceRetroactively(FIN, "default", "hpc1", "cpu", null,
                new BigDecimal("0.25"), AmountStrategy.CPUS, from, to, null);
        assertEquals(3, down.records());
        assertTrue(down.accountDifference().signum() < 0);
        assertEquals(accountBefore.subtract(down.accountDifference()), accountBalance());
        List<Charge> charges = billing.charges(BillingService.ACCOUNT, "a_bob", null, null, 100);
        assertEquals("old records stay", 3, charges.stream().filter(c -> c.kind().equals("JOB")).count());
        assertEquals(3, charges.stream().filter(c -> c.kind().equals("ADJUSTMENT")).count());
        assertEquals(2, ahead.priceChanges().size() - 1);

        for (Runnable bad : List.<Runnable>of(
                () -> billing.changePriceRetroactively(FIN, null, "hpc1", "cpu", null, BigDecimal.ONE,
                        AmountStrategy.CPUS, from, Instant.now().plus(Duration.ofHours(1)), null),
                () -> billing.changePriceRetroactively(FIN, null, "hpc1", "cpu", null, BigDecimal.ONE,
                        AmountStrategy.CPUS, from, from, null),
                () -> billing.changePriceRetroactively(FIN, null, "hpc1", "cpu", null, new BigDecimal("-1"),
                        AmountStrategy.CPUS, from, Instant.now(), null),
                () -> billing.changePriceRetroactively(FIN, null, "hpc1", "cpu", null, BigDecimal.ONE, null, from,
                        Instant.now(), null))) {
            try {
                bad.run();
                fail("accepted");
            } catch (ManagementException e) {
                assertEquals(e.getMessage(), 400, e.status());
            }
        }
        try {
            billing.applyPriceChange(FIN, 999_999);
            fail("applied a missing change");
        } catch (ManagementException e) {
            assertEquals(404, e.status());
        }
        assertEquals(3, ahead.priceChanges().size());
    }

    @Test
    public void statisticsAndRecordsFollowTheScope() throws Exception {
        prices();
        Actor admin = new Actor("admin", null);
        management.createUser(admin, "carol", null, null, "default");
        management.createAccount(admin, "a_carol", "default", "carol", null);
        billing.pay(FIN, BillingService.ACCOUNT, "a_bob", new BigDecimal("100"), "bank", null);
        runJobs(2);
        new JobFetcher(billing.jobCharging(), AHEAD, 10, Duration.ofMinutes(10)).run("hpc1", hpc1.scheduler);
        Instant from = Instant.now().minus(Duration.ofDays(1));
        Instant to = Instant.now().plus(Duration.ofDays(1));
        BillingStatistics stats = new BillingStatistics(billEmf, management);

        StatisticsReport all = stats.report(Scope.ALL, from, to, 10);
        assertTrue(all.daily().size() >= 2 && all.daily().size() <= 3);
        assertEquals(2, all.daily().stream().mapToLong(StatisticsReport.Day::jobs).sum());
        assertEquals(sum(BillingService.ACCOUNT, "a_bob").setScale(4), all.daily().stream()
                .map(StatisticsReport.Day::charges).reduce(BigDecimal.ZERO, BigDecimal::add).setScale(4));
        assertEquals(new BigDecimal("100.0000"), all.daily().stream().map(StatisticsReport.Day::payments)
                .reduce(BigDecimal.ZERO, BigDecimal::add));
        assertEquals(3, all.daily().stream().mapToLong(StatisticsReport.Day::newUsers).sum()); // admin, bob, carol
        assertEquals(2, all.daily().stream().mapToLong(StatisticsReport.Day::newAccounts).sum());
        assertEquals(new BigDecimal("2.00"), all.daily().stream().map(StatisticsReport.Day::coreHours)
                .reduce(BigDecimal.ZERO, BigDecimal::add)); // 2 jobs × 2 cores × 30 min
        assertEquals("a_bob", all.topAccounts().get(0).account());
        assertEquals("default", all.topAccounts().get(0).tenant());
        assertEquals(2, all.topAccounts().get(0).jobs());

        Scope carols = new Scope(java.util.Set.of("a_carol"), java.util.Set.of(), null);
        StatisticsReport carol = stats.report(carols, from, to, 10);
        assertEquals(0, carol.daily().stream().mapToLong(StatisticsReport.Day::jobs).sum());
        assertTrue(carol.topAccounts().isEmpty());
        assertEquals(1, carol.daily().stream().mapToLong(StatisticsReport.Day::newAccounts).sum());
        assertTrue(billing.charges(carols, null, null, null, null, 0, 100).isEmpty());
        assertTrue(billing.payments(carols, null, null, null, null, 0, 100).isEmpty());
        assertTrue(billing.jobs(carols, null, null, null, null, 0, 100).isEmpty());
        Scope bobs = new Scope(java.util.Set.of("a_bob"), java.util.Set.of(), null);
        assertEquals(2, billing.charges(bobs, null, null, null, null, 0, 100).size());
        assertEquals(1, billing.payments(bobs, null, null, null, null, 0, 100).size());
        assertEquals(2, billing.jobs(bobs, null, null, null, null, 0, 100).size());
        assertEquals(1, billing.jobs(bobs, null, null, null, null, 1, 100).size());
        assertEquals(0, stats.report(new Scope(null, null, "carol"), from, to, 10).daily().stream()
                .mapToLong(StatisticsReport.Day::jobs).sum());

        for (Runnable bad : List.<Runnable>of(() -> stats.report(Scope.ALL, to, from, 10),
                () -> stats.report(Scope.ALL, from, from.plus(Duration.ofDays(400)), 10),
                () -> stats.report(Scope.ALL, from, to, 0))) {
            try {
                bad.run();
                fail("accepted");
            } catch (ManagementException e) {
                assertEquals(e.getMessage(), 400, e.status());
            }
        }
    }

    /** Submits jobs of 2 cores for 30 simulated minutes and waits until they have finished. */
    private List<String> runJobs(int n) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(hpc1.scheduler.submitJob(new JobSpec("bob", "j" + i, "a_bob", "cpu", null, 1, 2, 0, null, null,
                    "sleep 30m", "/tmp", null, null, null)).jobId());
        }
        long deadline = System.currentTimeMillis() + 30_000;
        while (hpc1.scheduler.queryJobs(JobQuery.all()).jobs().stream().anyMatch(j -> !j.state().isFinished())) {
            if (System.currentTimeMillis() > deadline) {
                fail("jobs did not finish");
            }
            Thread.sleep(100);
        }
        return ids;
    }

    private void prices() {
        billing.addPrice(FIN, null, "hpc1", "cpu", null, new BigDecimal("0.4"), AmountStrategy.CPUS, null, null);
        billing.addPrice(FIN, null, "hpc1", "gpu", null, new BigDecimal("2"), AmountStrategy.GPUS, null, null);
        billing.addPrice(FIN, "default", "hpc1", "cpu", null, new BigDecimal("0.5"), AmountStrategy.CPUS, null, null);
    }

    private BigDecimal sum(String targetType, String target) {
        return billing.charges(targetType, target, null, null, 10_000).stream().map(Charge::amount)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Test
    public void jobsAreChargedExactlyOnceEvenWhenReplayedAndFetchedConcurrently() throws Exception {
        prices();
        billing.pay(FIN, BillingService.ACCOUNT, "a_bob", new BigDecimal("100"), "bank", null);
        billing.pay(FIN, BillingService.TENANT, "default", new BigDecimal("100"), "bank", null);
        runJobs(7);
        JobFetcher fetcher = new JobFetcher(billing.jobCharging(), AHEAD, 3, Duration.ofMinutes(10)); // 3 pages
        JobFetcher.Result first = fetcher.run("hpc1", hpc1.scheduler);
        assertEquals(7, first.stored());
        assertEquals(7, first.charged());
        BigDecimal account = accountBalance();
        BigDecimal tenant = tenantBalance();
        assertEquals(7, billing.charges(BillingService.ACCOUNT, "a_bob", null, null, 100).size());
        assertEquals(new BigDecimal("100").subtract(sum(BillingService.ACCOUNT, "a_bob")), account.stripTrailingZeros()
                .setScale(4));
        assertTrue("about 7 × 0.5 charged: " + account, account.compareTo(new BigDecimal("96.4")) > 0
                && account.compareTo(new BigDecimal("96.6")) < 0);
        assertTrue("the tenant pays the default price, 0.4 per core-hour: " + tenant,
                tenant.compareTo(new BigDecimal("97.1")) > 0 && tenant.compareTo(new BigDecimal("97.3")) < 0);

        // the same run again, the same finished jobs replayed directly, and two fetchers at once
        assertEquals(0, fetcher.run("hpc1", hpc1.scheduler).stored());
        List<JobInfo> all = hpc1.scheduler.queryJobs(JobQuery.all()).jobs();
        assertEquals(List.of(), billing.storeJobs("hpc1", all, Map.of()));
        JobFetcher fresh = new JobFetcher(billing.jobCharging(), AHEAD, 2, Duration.ofDays(3650));
        ExecutorService two = Executors.newFixedThreadPool(2);
        List<Future<JobFetcher.Result>> runs = two.invokeAll(List.of(() -> fresh.run("hpc1", hpc1.scheduler),
                () -> fresh.run("hpc1", hpc1.scheduler)));
        for (Future<JobFetcher.Result> r : runs) {
            assertEquals(0, r.get().charged());
        }
        two.shutdown();
        assertEquals(account, accountBalance());
        assertEquals(tenant, tenantBalance());
        assertEquals(7, billing.charges(BillingService.ACCOUNT, "a_bob", null, null, 100).size());
        assertEquals(7, billing.charges(BillingService.TENANT, "default", null, null, 100).size());

        // new jobs after the watermark are picked up
        runJobs(1);
        assertEquals(1, fetcher.run("hpc1", hpc1.scheduler).charged());
        assertEquals(8, billing.jobs("hpc1", "a_bob", null, null, 100).size());
    }

    @Test
    public void aCrashBetweenStoringAndChargingIsRepairedWithoutDoubleCharge() throws Exception {
        prices();
        billing.pay(FIN, BillingService.ACCOUNT, "a_bob", new BigDecimal("100"), "bank", null);
        runJobs(4);
        JobFetcher fetcher = new JobFetcher(billing.jobCharging(), AHEAD, 10, Duration.ofMinutes(10));
        fetcher.hook((cluster, stored) -> {
            throw new IllegalStateException("injected crash after storing " + stored.size() + " jobs");
        });
        try {
            fetcher.run("hpc1", hpc1.scheduler);
            fail("the injected crash did not happen");
        } catch (IllegalStateException expected) {
            // the process "died" here
        }
        assertEquals("stored, not charged", 4, billing.pendingJobs("hpc1").size());
        assertEquals(new BigDecimal("100.0000"), accountBalance());
        assertEquals(0, billing.charges(BillingService.ACCOUNT, "a_bob", null, null, 100).size());

        fetcher.hook(null);
        JobFetcher.Result next = fetcher.run("hpc1", hpc1.scheduler);
        assertEquals(4, next.repaired());
        assertEquals(0, next.stored());
        assertEquals(0, billing.pendingJobs("hpc1").size());
        assertEquals(4, billing.charges(BillingService.ACCOUNT, "a_bob", null, null, 100).size());
        assertEquals(new BigDecimal("100").subtract(sum(BillingService.ACCOUNT, "a_bob")).setScale(4),
                accountBalance());
        assertEquals(0, fetcher.run("hpc1", hpc1.scheduler).repaired());
        assertEquals(4, billing.charges(BillingService.ACCOUNT, "a_bob", null, null, 100).size());
    }

    @Test
    public void accountsAreBlockedAtTheThresholdAndUnblockedByAPayment() throws Exception {
        // a new account has balance 0 ≤ threshold 0: blocked on the cluster by reconciliation
        ClusterSync.Report r = sync.reconcile(null);
        assertTrue(r.changes().toString(), hpc1.scheduler.accountBlockStatus("a_bob").blocked());

        billing.pay(FIN, BillingService.ACCOUNT, "a_bob", new BigDecimal("10"), "bank", null);
        assertFalse("the payment lifted the block at once", hpc1.scheduler.accountBlockStatus("a_bob").blocked());

        billing.setAccountThreshold(FIN, "a_bob", new BigDecimal("5"));
        billing.charge(FIN, BillingService.ACCOUNT, "a_bob", new BigDecimal("4.9999"), null);
        assertFalse(hpc1.scheduler.accountBlockStatus("a_bob").blocked());
        billing.charge(FIN, BillingService.ACCOUNT, "a_bob", new BigDecimal("0.0001"), null);
        assertTrue("balance 5 ≤ threshold 5", hpc1.scheduler.accountBlockStatus("a_bob").blocked());

        hpc1.scheduler.unblockAccount("a_bob"); // lost behind the platform's back
        assertEquals(List.of(new ClusterSync.Change("hpc1", "a_bob", null, "BLOCK_ACCOUNT", null)),
                sync.reconcile("hpc1").changes());
        assertTrue(hpc1.scheduler.accountBlockStatus("a_bob").blocked());

        billing.setAccountThreshold(FIN, "a_bob", null); // back to the tenant default 0
        assertFalse(hpc1.scheduler.accountBlockStatus("a_bob").blocked());
        billing.setTenantAccountThreshold(FIN, "default", new BigDecimal("6"));
        assertTrue(hpc1.scheduler.accountBlockStatus("a_bob").blocked());
        management.whitelist(new Actor("admin", null), "a_bob", null, null);
        assertFalse(hpc1.scheduler.accountBlockStatus("a_bob").blocked());
    }

    @Test
    public void aUserIsBlockedInTheAccountWhenTheirChargeLimitIsReached() throws Exception {
        prices();
        billing.pay(FIN, BillingService.ACCOUNT, "a_bob", new BigDecimal("100"), "bank", null);
        billing.setUserLimit(FIN, "a_bob", "bob", new BigDecimal("0.9"));
        runJobs(2);
        new JobFetcher(billing.jobCharging(), AHEAD, 10, Duration.ofMinutes(10)).run("hpc1", hpc1.scheduler);
        assertTrue(billing.userLimit("a_bob", "bob").exceeded());
        assertTrue(hpc1.scheduler.isUserBlockedInAccount("bob", "a_bob"));
        billing.setUserLimit(FIN, "a_bob", "bob", new BigDecimal("5"));
        assertFalse("raising the limit unblocks", hpc1.scheduler.isUserBlockedInAccount("bob", "a_bob"));
        billing.setUserLimit(FIN, "a_bob", "bob", new BigDecimal("0.5"));
        assertTrue(hpc1.scheduler.isUserBlockedInAccount("bob", "a_bob"));
        billing.resetUserUsage(FIN, "a_bob", "bob");
        assertFalse("resetting unblocks", hpc1.scheduler.isUserBlockedInAccount("bob", "a_bob"));
    }

    @Test
    public void invalidInputIsRefusedAndChangesNothing() {
        billing.pay(FIN, BillingService.ACCOUNT, "a_bob", new BigDecimal("10"), "bank", null);
        BigDecimal before = accountBalance();
        expect(400, "amount", () -> billing.pay(FIN, BillingService.ACCOUNT, "a_bob", new BigDecimal("-1"), null, null));
        expect(400, "amount", () -> billing.pay(FIN, BillingService.ACCOUNT, "a_bob", new BigDecimal("0.00001"), null,
                null));
        expect(400, "amount", () -> billing.charge(FIN, BillingService.ACCOUNT, "a_bob", new BigDecimal("1.23456"),
                null));
        expect(404, null, () -> billing.pay(FIN, BillingService.ACCOUNT, "nope", BigDecimal.ONE, null, null));
        expect(404, null, () -> billing.pay(FIN, BillingService.TENANT, "nope", BigDecimal.ONE, null, null));
        expect(400, "targetType", () -> billing.pay(FIN, "USER", "bob", BigDecimal.ONE, null, null));
        expect(404, null, () -> billing.setUserLimit(FIN, "a_bob", "ghost", BigDecimal.ONE));
        expect(400, "limit", () -> billing.setUserLimit(FIN, "a_bob", "bob", new BigDecimal("-2")));
        expect(400, "price", () -> billing.addPrice(FIN, null, "hpc1", "cpu", null, new BigDecimal("-1"),
                AmountStrategy.CPUS, null, null));
        expect(400, "price", () -> billing.addPrice(FIN, null, "hpc1", "cpu", null, new BigDecimal("0.00001"),
                AmountStrategy.CPUS, null, null));
        expect(400, "partition", () -> billing.addPrice(FIN, null, "hpc1", "bad name", null, BigDecimal.ONE,
                AmountStrategy.CPUS, null, null));
        expect(400, "validFrom", () -> billing.addPrice(FIN, null, "hpc1", "cpu", null, BigDecimal.ONE,
                AmountStrategy.CPUS, Instant.now().minus(Duration.ofDays(400)), null));
        expect(404, null, () -> billing.addPrice(FIN, "nope", "hpc1", "cpu", null, BigDecimal.ONE,
                AmountStrategy.CPUS, null, null));
        Instant now = Instant.now();
        expect(400, "from", () -> billing.payments(null, null, now, now.minusSeconds(1), 10));
        expect(400, "from", () -> billing.charges(null, null, now, now.minusSeconds(1), 10));

        assertEquals(before, accountBalance());
        assertEquals(1, billing.payments(null, null, null, null, 100).size());
        assertEquals(0, billing.charges(null, null, null, null, 100).size());
        assertEquals(List.of(), billing.prices(null));
        assertTrue("refusals are audited", management.audit().query(new AuditLog.Query("finance", null, null, null,
                "FAILURE", null, null, 0, 100)).size() >= 13);
    }

    @Test
    public void missingDefaultPricesAreReported() {
        billing.addPrice(FIN, null, "hpc1", "cpu", null, BigDecimal.ONE, AmountStrategy.CPUS, null, null);
        billing.addPrice(FIN, null, "hpc1", "gpu", "high", BigDecimal.ONE, AmountStrategy.GPUS, null, null);
        assertEquals(List.of("hpc1/gpu", "hpc2/cpu"), billing.missingDefaultPrices(
                Map.of("hpc1", List.of("cpu", "gpu"), "hpc2", List.of("cpu")), Instant.now().plusSeconds(1)));
    }

    private static void expect(int status, String field, Runnable r) {
        try {
            r.run();
        } catch (ManagementException e) {
            assertEquals(e.getMessage(), status, e.status());
            if (field != null) {
                assertEquals(e.getMessage(), field, e.details().get("field"));
            }
            return;
        }
        fail("expected a refusal with status " + status);
    }
}
