package org.scow.federation.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import javax.persistence.EntityManagerFactory;
import org.scow.federation.Settlement;
import org.scow.persistence.Transactions;

/**
 * The settlement ledger (table {@code fed_ledger}): one row per federated job and side, unique by (peer, direction,
 * cluster, job), so charging a job and mirroring a charge are idempotent however often they are retried. The
 * running center's row ids are its feed's sequence; the home center's mirror keeps the peer's sequence, and its
 * highest one is the watermark it resumes from after a restart or an outage of either side.
 */
public class SettlementStore {
    private final EntityManagerFactory emf;
    private final Clock clock;

    public SettlementStore(EntityManagerFactory emf, Clock clock) {
        this.emf = emf;
        this.clock = clock;
    }

    private boolean exists(String peer, Settlement.Direction d, String cluster, String jobId) {
        return Transactions.read(emf, em -> !em.createQuery("select l.id from LedgerEntity l where l.peer = :p and "
                        + "l.direction = :d and l.cluster = :c and l.jobId = :j", Long.class).setParameter("p", peer)
                .setParameter("d", d.name()).setParameter("c", cluster).setParameter("j", jobId).getResultList()
                .isEmpty());
    }

    /**
     * Records what {@code peer} owes for a job that ran here (once: false when it is recorded already).
     *
     * @param amount  non-negative, at most 4 decimals
     */
    public synchronized boolean recordCharge(String peer, String cluster, String jobId, String account, String user,
                                             Instant endTime, BigDecimal amount) {
        return insert(peer, Settlement.Direction.OWED_BY_PEER, null, cluster, jobId, account, user, endTime, amount,
                null);
    }

    /** Records a charge of the peer's feed here (once: false when mirrored already). */
    public synchronized boolean mirror(String peer, Settlement.Entry remote, String note) {
        return insert(peer, Settlement.Direction.OWED_TO_PEER, remote.seq(), remote.cluster(), remote.jobId(),
                remote.account(), remote.user(), remote.endTime(), remote.amount(), note);
    }

    private boolean insert(String peer, Settlement.Direction d, Long remoteSeq, String cluster, String jobId,
                           String account, String user, Instant endTime, BigDecimal amount, String note) {
        if (amount == null || amount.signum() < 0) {
            throw new IllegalArgumentException("amount: must not be negative");
        }
        BigDecimal exact;
        try {
            exact = amount.setScale(4, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("amount: at most 4 decimals");
        }
        if (exists(peer, d, cluster, jobId)) {
            return false;
        }
        try {
            Transactions.tx(emf, em -> {
                LedgerEntity e = new LedgerEntity();
                e.peer = peer;
                e.direction = d.name();
                e.remoteSeq = remoteSeq;
                e.cluster = cluster;
                e.jobId = jobId;
                e.account = account;
                e.user = user;
                e.endTime = endTime;
                e.amount = exact;
                e.note = note == null || note.length() <= 400 ? note : note.substring(0, 400);
                e.createdAt = clock.instant();
                em.persist(e);
                return null;
            });
            return true;
        } catch (RuntimeException e) {
            if (Transactions.isConstraintViolation(e)) {
                return false; // another platform node recorded it first
            }
            throw e;
        }
    }

    /** A charge to record: a finished job of a peer's grant and its price. */
    public record Charge(String cluster, String jobId, String account, String user, Instant endTime,
                         BigDecimal amount) {
    }

    /**
     * Records what {@code peer} owes for many jobs in one transaction (the ones recorded already are skipped);
     * answers how many were new.
     */
    public synchronized int recordCharges(String peer, List<Charge> charges) {
        List<Object[]> rows = charges.stream().map(c -> new Object[] {null, c.cluster(), c.jobId(), c.account(),
                c.user(), c.endTime(), c.amount(), null}).toList();
        return insertAll(peer, Settlement.Direction.OWED_BY_PEER, rows);
    }

    /** Mirrors a page of the peer's feed in one transaction, with a note per entry (null: none); answers new ones. */
    public synchronized int mirrorAll(String peer, List<Settlement.Entry> page, List<String> notes) {
        List<Object[]> rows = new java.util.ArrayList<>();
        for (int i = 0; i < page.size(); i++) {
            Settlement.Entry e = page.get(i);
            rows.add(new Object[] {e.seq(), e.cluster(), e.jobId(), e.account(), e.user(), e.endTime(), e.amount(),
                    notes.get(i)});
        }
        return insertAll(peer, Settlement.Direction.OWED_TO_PEER, rows);
    }

    /** Rows of {remoteSeq, cluster, jobId, account, user, endTime, amount, note}. */
    private int insertAll(String peer, Settlement.Direction d, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return 0;
        }
        for (Object[] r : rows) {
            exact((BigDecimal) r[6]);
        }
        try {
            return Transactions.tx(emf, em -> {
                java.util.Set<String> known = new java.util.HashSet<>(em.createQuery("select concat(l.cluster, ' ', "
                        + "l.jobId) from LedgerEntity l where l.peer = :p and l.direction = :d and l.jobId in :j",
                        String.class).setParameter("p", peer).setParameter("d", d.name())
                        .setParameter("j", rows.stream().map(r -> (String) r[2]).distinct().toList())
                        .getResultList());
                int n = 0;
                for (Object[] r : rows) {
                    if (!known.add(r[1] + " " + r[2])) {
                        continue;
                    }
                    LedgerEntity e = new LedgerEntity();
                    e.peer = peer;
                    e.direction = d.name();
                    e.remoteSeq = (Long) r[0];
                    e.cluster = (String) r[1];
                    e.jobId = (String) r[2];
                    e.account = (String) r[3];
                    e.user = (String) r[4];
                    e.endTime = (Instant) r[5];
                    e.amount = exact((BigDecimal) r[6]);
                    String note = (String) r[7];
                    e.note = note == null || note.length() <= 400 ? note : note.substring(0, 400);
                    e.createdAt = clock.instant();
                    em.persist(e);
                    n++;
                }
                return n;
            });
        } catch (RuntimeException e) {
            if (Transactions.isConstraintViolation(e)) {
                return 0; // another platform node recorded the page first; the next pass sees its rows
            }
            throw e;
        }
    }

    private static BigDecimal exact(BigDecimal amount) {
        if (amount == null || amount.signum() < 0) {
            throw new IllegalArgumentException("amount: must not be negative");
        }
        try {
            return amount.setScale(4, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("amount: at most 4 decimals");
        }
    }

    /** The feed for {@code peer}: what it owes, after sequence {@code after}, oldest first. */
    public List<Settlement.Entry> feed(String peer, long after, int limit) {
        return Transactions.read(emf, em -> em.createQuery("select l from LedgerEntity l where l.peer = :p and "
                        + "l.direction = :d and l.id > :a order by l.id", LedgerEntity.class).setParameter("p", peer)
                .setParameter("d", Settlement.Direction.OWED_BY_PEER.name()).setParameter("a", after)
                .setMaxResults(limit).getResultList().stream().map(LedgerEntity::toEntry).toList());
    }

    /** Every charge recorded here as owed by {@code peer}, oldest first: what the peer's grants have used. */
    public List<Settlement.Entry> owedBy(String peer) {
        return Transactions.read(emf, em -> em.createQuery("select l from LedgerEntity l where l.peer = :p and "
                        + "l.direction = :d order by l.id", LedgerEntity.class).setParameter("p", peer)
                .setParameter("d", Settlement.Direction.OWED_BY_PEER.name()).getResultList().stream()
                .map(LedgerEntity::toEntry).toList());
    }

    /** The highest sequence of {@code peer}'s feed mirrored here: where the next mirror pass resumes. */
    public long watermark(String peer) {
        Long max = Transactions.read(emf, em -> em.createQuery("select max(l.remoteSeq) from LedgerEntity l where "
                + "l.peer = :p and l.direction = :d", Long.class).setParameter("p", peer)
                .setParameter("d", Settlement.Direction.OWED_TO_PEER.name()).getSingleResult());
        return max == null ? 0 : max;
    }

    /** Both directions with {@code peer} for jobs that ended in [from, to). */
    public Settlement.Statement statement(String center, String peer, Instant from, Instant to) {
        List<Settlement.Entry> entries = Transactions.read(emf, em -> em.createQuery("select l from LedgerEntity l "
                        + "where l.peer = :p and l.endTime >= :f and l.endTime < :t order by l.endTime, l.cluster, "
                        + "l.jobId", LedgerEntity.class).setParameter("p", peer).setParameter("f", from)
                .setParameter("t", to).getResultList().stream().map(LedgerEntity::toEntry).toList());
        BigDecimal byPeer = BigDecimal.ZERO.setScale(4);
        BigDecimal toPeer = BigDecimal.ZERO.setScale(4);
        int nBy = 0;
        int nTo = 0;
        for (Settlement.Entry e : entries) {
            if (e.direction() == Settlement.Direction.OWED_BY_PEER) {
                byPeer = byPeer.add(e.amount());
                nBy++;
            } else {
                toPeer = toPeer.add(e.amount());
                nTo++;
            }
        }
        return new Settlement.Statement(center, peer, from, to, nBy, byPeer, nTo, toPeer, byPeer.subtract(toPeer),
                entries);
    }
}
