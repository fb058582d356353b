package org.scow.federation.internal;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import javax.persistence.EntityManagerFactory;
import org.scow.federation.FederationAudit;
import org.scow.federation.Grant;
import org.scow.persistence.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Grants and the audit of cross-center calls, in the platform database (tables {@code fed_*}). */
public class FederationStore implements FederationAudit {
    private static final Logger LOG = LoggerFactory.getLogger(FederationStore.class);

    private final EntityManagerFactory emf;
    private final Clock clock;

    public FederationStore(EntityManagerFactory emf, Clock clock) {
        this.emf = emf;
        this.clock = clock;
    }

    /** A grant already exists for the same peer, cluster and peer account. */
    public static final class DuplicateGrant extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DuplicateGrant(String message) {
            super(message);
        }
    }

    /** Stores a new grant ({@code id} and {@code createdAt} of the argument are ignored). */
    public Grant createGrant(Grant g) {
        if (grants(g.peer()).stream().anyMatch(o -> o.cluster().equals(g.cluster())
                && o.peerAccount().equals(g.peerAccount()))) {
            throw new DuplicateGrant("peerAccount: peer '" + g.peer() + "' already has a grant for '"
                    + g.peerAccount() + "' on cluster '" + g.cluster() + "'");
        }
        try {
            return Transactions.tx(emf, em -> {
                GrantEntity e = new GrantEntity();
                e.peer = g.peer();
                e.cluster = g.cluster();
                e.peerAccount = g.peerAccount();
                e.localAccount = g.localAccount();
                e.users = Grant.serialise(g.users());
                e.creditLimit = g.creditLimit();
                e.blocked = g.blocked();
                e.comment = g.comment();
                e.createdAt = clock.instant();
                em.persist(e);
                em.flush();
                return e.toGrant();
            });
        } catch (RuntimeException e) {
            if (Transactions.isConstraintViolation(e)) {
                throw new DuplicateGrant("peerAccount: a grant for it exists already");
            }
            throw e;
        }
    }

    public Optional<Grant> grant(long id) {
        return Transactions.read(emf, em -> Optional.ofNullable(em.find(GrantEntity.class, id))
                .map(GrantEntity::toGrant));
    }

    /** Grants of one peer (every grant when {@code peer} is null), by id. */
    public List<Grant> grants(String peer) {
        return Transactions.read(emf, em -> (peer == null
                ? em.createQuery("select g from GrantEntity g order by g.id", GrantEntity.class)
                : em.createQuery("select g from GrantEntity g where g.peer = :p order by g.id", GrantEntity.class)
                        .setParameter("p", peer))
                .getResultList().stream().map(GrantEntity::toGrant).toList());
    }

    /** Sets the grant's local block; answers the updated grant, empty when unknown. */
    public Optional<Grant> setBlocked(long id, boolean blocked) {
        return Transactions.tx(emf, em -> {
            GrantEntity e = em.find(GrantEntity.class, id);
            if (e == null) {
                return Optional.empty();
            }
            e.blocked = blocked;
            return Optional.of(e.toGrant());
        });
    }

    public boolean deleteGrant(long id) {
        return Transactions.tx(emf, em -> {
            GrantEntity e = em.find(GrantEntity.class, id);
            if (e == null) {
                return false;
            }
            em.remove(e);
            return true;
        });
    }

    @Override
    public void record(Entry entry) {
        try {
            Transactions.tx(emf, em -> {
                FedAuditEntity e = new FedAuditEntity();
                e.occurredAt = entry.occurredAt() == null ? clock.instant() : entry.occurredAt();
                e.direction = entry.direction().name();
                e.peer = cut(entry.peer(), 64);
                e.actor = cut(entry.actor(), 64);
                e.method = cut(entry.method(), 8);
                e.path = cut(entry.path(), 1000);
                e.status = entry.status();
                e.durationMs = entry.durationMs();
                e.message = entry.message() == null ? null : cut(entry.message(), 1000);
                em.persist(e);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.error("Could not record the federation call {} {} {} {}: {}", entry.direction(), entry.peer(),
                    entry.method(), entry.path(), e.toString());
        }
    }

    @Override
    public List<Entry> recent(String peer, int limit) {
        return Transactions.read(emf, em -> (peer == null
                ? em.createQuery("select a from FedAuditEntity a order by a.id desc", FedAuditEntity.class)
                : em.createQuery("select a from FedAuditEntity a where a.peer = :p order by a.id desc",
                        FedAuditEntity.class).setParameter("p", peer))
                .setMaxResults(limit).getResultList().stream().map(FedAuditEntity::toEntry).toList());
    }

    private static String cut(String s, int max) {
        String v = s == null ? "" : s;
        return v.length() <= max ? v : v.substring(0, max);
    }
}
