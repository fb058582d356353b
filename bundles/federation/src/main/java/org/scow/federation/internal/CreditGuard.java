package org.scow.federation.internal;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.scow.api.billing.CenterBilling;
import org.scow.api.scheduler.JobFilter;
import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.JobQuery;
import org.scow.api.scheduler.JobSpec;
import org.scow.api.scheduler.JobState;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.SchedulerException;
import org.scow.api.scheduler.SubmittedJob;
import org.scow.federation.Grant;
import org.scow.federation.Settlement;

/**
 * Keeps a peer's work on a grant within the grant's credit limit, priced by this center's own table. What the grant
 * has used or reserved is: the charges settled here for its accounts (the ledger), plus every finished job not in the
 * ledger yet at its price, plus every unfinished job as if it ran its whole time limit. A new job is admitted only
 * when that plus the new job at its whole time limit stays within the limit; so the most a peer can owe on a grant
 * is its limit, whatever its jobs do. Without a price table (billing not running, or a partition without a price)
 * jobs cost 0, as settlement charges them.
 */
public final class CreditGuard implements GrantedDriver.Credit {

    private final String peer;
    private final SettlementStore ledger;
    private final Supplier<CenterBilling> billing;
    /** Local cluster id to its driver, for every cluster the grant may apply to. */
    private final Supplier<Map<String, SchedulerDriver>> clusters;
    private final Function<String, Optional<String>> systemAccountRefusal;

    public CreditGuard(String peer, SettlementStore ledger, Supplier<CenterBilling> billing,
                       Supplier<Map<String, SchedulerDriver>> clusters,
                       Function<String, Optional<String>> systemAccountRefusal) {
        this.peer = peer;
        this.ledger = ledger;
        this.billing = billing;
        this.clusters = clusters;
        this.systemAccountRefusal = systemAccountRefusal;
    }

    /** One lock per grant, shared by every guard of this center: checks and submissions of a grant take turns. */
    private static final Map<Long, Object> LOCKS = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public SubmittedJob within(Grant grant, String cluster, String peerAccount, JobSpec job,
                               GrantedDriver.Submit submit) throws SchedulerException {
        synchronized (LOCKS.computeIfAbsent(grant.id() == null ? -1L : grant.id(), k -> new Object())) {
            admit(grant, cluster, peerAccount, job);
            return submit.run();
        }
    }

    void admit(Grant grant, String cluster, String peerAccount, JobSpec job) throws SchedulerException {
        CenterBilling prices = billing.get();
        BigDecimal used = used(grant, prices);
        // a raw script's size is not known before the scheduler reads it: it is admitted while credit is left
        BigDecimal next = job == null ? BigDecimal.ZERO : price(prices, cluster, JobInfo.builder("new", JobState.PENDING).partition(job.partition())
                .cpusReq(job.nodes() * job.coresPerNode()).gpusReq(job.nodes() * job.gpusPerNode())
                .nodesReq(job.nodes()).timeLimitMinutes(job.timeLimitMinutes())
                .elapsedSeconds(job.timeLimitMinutes() * 60).build());
        boolean over = job == null ? used.compareTo(grant.creditLimit()) >= 0
                : used.add(next).compareTo(grant.creditLimit()) > 0;
        if (over) {
            throw new SchedulerException(org.scow.api.scheduler.ErrorCode.SUBMIT_FAILED, "the credit limit of "
                    + grant.creditLimit().stripTrailingZeros().toPlainString() + " this center grants for account '"
                    + peerAccount + "' would be exceeded: " + used.stripTrailingZeros().toPlainString()
                    + " used or reserved, and this job may cost up to " + next.stripTrailingZeros().toPlainString(),
                    Map.of("account", peerAccount, "creditLimit", grant.creditLimit().toPlainString(),
                            "used", used.toPlainString()));
        }
    }

    /** Settled charges of the grant plus its unsettled jobs (finished: their price; else: at their time limit). */
    BigDecimal used(Grant grant, CenterBilling prices) throws SchedulerException {
        BigDecimal used = BigDecimal.ZERO;
        Set<String> settled = new HashSet<>();
        for (Settlement.Entry e : ledger.owedBy(peer)) {
            if (grant.appliesTo(e.cluster()) && grant.localAccountFor(e.account()).isPresent()) {
                used = used.add(e.amount());
                settled.add(e.cluster() + " " + e.jobId());
            }
        }
        for (Map.Entry<String, SchedulerDriver> c : clusters.get().entrySet()) {
            if (!grant.appliesTo(c.getKey())) {
                continue;
            }
            // only this grant, so jobs of the peer's other grants on the cluster count against their own limits
            GrantedDriver view = new GrantedDriver(c.getValue(), List.of(grant), systemAccountRefusal);
            for (JobInfo j : view.queryJobs(JobQuery.of(JobFilter.ALL)).jobs()) {
                if (settled.contains(c.getKey() + " " + j.jobId())) {
                    continue;
                }
                boolean finished = j.state() != null && j.state().isFinished();
                JobInfo priced = finished || j.timeLimitMinutes() == null ? j
                        : j.toBuilder().elapsedSeconds(j.timeLimitMinutes() * 60).build();
                used = used.add(price(prices, c.getKey(), priced));
            }
        }
        return used;
    }

    private static BigDecimal price(CenterBilling prices, String cluster, JobInfo job) {
        return prices == null ? BigDecimal.ZERO : prices.price(cluster, job).orElse(BigDecimal.ZERO);
    }
}
