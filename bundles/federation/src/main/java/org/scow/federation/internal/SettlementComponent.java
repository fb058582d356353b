package org.scow.federation.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.persistence.EntityManagerFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.scow.api.billing.CenterBilling;
import org.scow.api.cluster.Cluster;
import org.scow.api.cluster.ClusterRegistry;
import org.scow.api.scheduler.JobFilter;
import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.JobQuery;
import org.scow.api.scheduler.JobState;
import org.scow.api.scheduler.SchedulerException;
import org.scow.api.security.SystemAccountPolicy;
import org.scow.federation.CenterIdentity;
import org.scow.federation.FederationAudit;
import org.scow.federation.Grant;
import org.scow.federation.Peer;
import org.scow.federation.PeerDirectory;
import org.scow.federation.Settlement;
import org.scow.federation.SignedRequests;
import org.scow.federation.client.PeerClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settlement between centers, every {@code settleIntervalSeconds} (PID {@code org.scow.federation}) and on demand:
 * <ol>
 * <li>charge: every finished job that ran here under a peer's grant is priced with this center's own price table
 * ({@link CenterBilling}; a partition without a price charges 0) and recorded once as owed by the peer;</li>
 * <li>mirror: each peer's feed of what this center owes is read from the watermark on; each charge is first charged
 * to the home account with the idempotency key {@code fed-<peer>-<seq>} (a retry after a crash charges once), then
 * recorded. A charge the home billing refuses (e.g. an account only the cluster knows) is recorded with the reason,
 * so the statement still agrees and the feed moves on; a charge that fails (billing stopping during a restart) stops
 * the pass there, to be retried.</li>
 * </ol>
 */
@Component(service = SettlementComponent.class, configurationPid = "org.scow.federation", immediate = true)
public class SettlementComponent extends SettlementStore {
    private static final Logger LOG = LoggerFactory.getLogger(SettlementComponent.class);
    private static final int PAGE = 500;
    private static final Set<JobState> FINISHED = finished();

    /** Configuration read from PID {@code org.scow.federation}. */
    public @interface Config {
        long settleIntervalSeconds() default 60;
    }

    private final FederationStore grants;
    private final ClusterRegistry registry;
    private final PeerDirectory peers;
    private final SystemAccountPolicy systemAccounts;
    private final PeerClient client;
    private final ScheduledExecutorService executor;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile CenterBilling billing;

    @Activate
    public SettlementComponent(@Reference(target = "(osgi.unit.name=scow-federation)") EntityManagerFactory emf,
                               @Reference FederationStore grants, @Reference ClusterRegistry registry,
                               @Reference PeerDirectory peers, @Reference CenterIdentity center,
                               @Reference FederationAudit audit, @Reference SystemAccountPolicy systemAccounts,
                               Config config) {
        super(emf, Clock.systemUTC());
        this.grants = grants;
        this.registry = registry;
        this.peers = peers;
        this.systemAccounts = systemAccounts;
        this.client = new PeerClient(center.id(), center::sign, peers::peer, audit::record, Duration.ofSeconds(30));
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "scow-federation-settlement");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(5, config.settleIntervalSeconds());
        executor.scheduleWithFixedDelay(() -> {
            try {
                run();
            } catch (RuntimeException e) {
                LOG.warn("Settlement pass failed: {}", e.toString());
            }
        }, every, every, TimeUnit.SECONDS);
    }

    @Deactivate
    void stop() {
        executor.shutdownNow();
    }

    /** One charge and one mirror pass; per peer what happened. Passes never overlap. */
    public synchronized Map<String, Object> run() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Peer p : peers.peers()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("charged", charge(p.id()));
            try {
                r.put("mirrored", mirror(p.id()));
            } catch (SchedulerException e) {
                r.put("mirrorError", e.code() + ": " + e.getMessage());
            }
            out.put(p.id(), r);
        }
        return out;
    }

    /** Records every finished job of the peer's grants not recorded yet; answers how many were new. */
    int charge(String peer) {
        List<Grant> all = grants.grants(peer);
        int recorded = 0;
        for (Cluster c : registry.clusters()) {
            List<Grant> applicable = all.stream().filter(g -> g.appliesTo(c.id())).toList();
            if (applicable.isEmpty() || c.driver().isEmpty()) {
                continue;
            }
            GrantedDriver view = new GrantedDriver(c.driver().get(), applicable, systemAccounts::refusal);
            List<JobInfo> jobs;
            try {
                jobs = view.queryJobs(JobQuery.of(JobFilter.ALL.withStates(FINISHED))).jobs();
            } catch (SchedulerException e) {
                LOG.warn("Settlement: cannot read the jobs of cluster {} for peer {}: {}", c.id(), peer, e.toString());
                continue;
            }
            List<Charge> charges = new ArrayList<>();
            for (JobInfo j : jobs) {
                if (j.endTime() == null || j.account() == null || j.user() == null) {
                    continue;
                }
                CenterBilling b = billing;
                BigDecimal amount = b == null ? BigDecimal.ZERO : b.price(c.id(), j).orElse(BigDecimal.ZERO);
                charges.add(new Charge(c.id(), j.jobId(), j.account(), j.user(), j.endTime(), amount));
            }
            for (int i = 0; i < charges.size(); i += PAGE) {
                recorded += recordCharges(peer, charges.subList(i, Math.min(charges.size(), i + PAGE)));
            }
        }
        return recorded;
    }

    /** Mirrors the peer's feed from the watermark on; answers how many charges were new. */
    int mirror(String peer) throws SchedulerException {
        CenterBilling b = billing;
        if (b == null) {
            throw new SchedulerException(org.scow.api.scheduler.ErrorCode.UNAVAILABLE,
                    "billing is not running: charges are not mirrored until it is");
        }
        int mirrored = 0;
        while (true) {
            long after = watermark(peer);
            List<Settlement.Entry> page = client.call(peer, "GET", SignedRequests.PEER_PATH
                    + "settlement/charges?after=" + after + "&limit=" + PAGE, null, SignedRequests.CENTER_ACTOR,
                    new TypeReference<List<Settlement.Entry>>() { });
            if (page == null || page.isEmpty()) {
                return mirrored;
            }
            HomeCharges charged = chargeAtHome(peer, page, b);
            mirrored += mirrorAll(peer, page.subList(0, charged.notes().size()), charged.notes());
            if (charged.failure() != null) {
                throw new SchedulerException(org.scow.api.scheduler.ErrorCode.UNAVAILABLE, "charging federated job "
                        + page.get(charged.notes().size()).jobId() + " of " + peer + " at home failed ("
                        + charged.failure() + "); the next pass retries it");
            }
            if (page.size() < PAGE) {
                return mirrored;
            }
        }
    }

    /**
     * The notes of the page's first entries charged at home (null: charged; else why billing refused it), and the
     * failure that stopped the page, if one did.
     */
    record HomeCharges(List<String> notes, RuntimeException failure) {
    }

    /**
     * Charges a page of the peer's feed to the home accounts, in order. A refusal (IllegalArgumentException: an
     * account only the cluster knows) is recorded with its reason, so the ledgers still agree and the feed moves on;
     * any other failure (billing stopping, the database away) stops the page there, so that entry and the rest are
     * not recorded and the next pass charges them (the same idempotency keys: never twice).
     */
    static HomeCharges chargeAtHome(String peer, List<Settlement.Entry> page, CenterBilling b) {
        List<String> notes = new ArrayList<>();
        for (Settlement.Entry e : page) {
            String note = null;
            if (e.amount().signum() > 0) {
                try {
                    b.chargeAccount(e.account(), e.amount(), "federated job " + e.jobId() + " on " + peer + "/"
                            + e.cluster(), "fed-" + peer + "-" + e.seq());
                } catch (IllegalArgumentException ex) {
                    note = "not charged at home: " + ex.getMessage();
                } catch (RuntimeException ex) {
                    return new HomeCharges(notes, ex);
                }
            }
            notes.add(note);
        }
        return new HomeCharges(notes, null);
    }

    /** The statement with a peer for [from, to). */
    public Settlement.Statement statement(String center, String peer, Instant from, Instant to) {
        return super.statement(center, peer, from, to);
    }

    private static Set<JobState> finished() {
        Set<JobState> s = EnumSet.noneOf(JobState.class);
        for (JobState st : JobState.values()) {
            if (st.isFinished()) {
                s.add(st);
            }
        }
        return s;
    }

    /** For the tests and the management page: the pending feed of a peer. */
    List<Settlement.Entry> pendingFor(String peer, long after) {
        return new ArrayList<>(feed(peer, after, PAGE));
    }
}
