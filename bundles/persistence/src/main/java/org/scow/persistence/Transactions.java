package org.scow.persistence;

import java.util.function.Function;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;

/**
 * Resource-local units of work on a persistence unit: one entity manager per call, closed afterwards; a transaction
 * that did not commit is rolled back.
 */
public final class Transactions {
    private Transactions() {
    }

    /** Runs {@code work} in a transaction and commits it; on any exception rolls back and rethrows. */
    public static <T> T tx(EntityManagerFactory emf, Function<EntityManager, T> work) {
        EntityManager em = emf.createEntityManager();
        try {
            em.getTransaction().begin();
            T result = work.apply(em);
            em.getTransaction().commit();
            return result;
        } finally {
            close(em);
        }
    }

    /** Runs {@code work} without a transaction (reads). */
    public static <T> T read(EntityManagerFactory emf, Function<EntityManager, T> work) {
        EntityManager em = emf.createEntityManager();
        try {
            return work.apply(em);
        } finally {
            close(em);
        }
    }

    /** Rolls back what is still open and closes the entity manager. */
    public static void close(EntityManager em) {
        try {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
        } finally {
            em.close();
        }
    }

    /** True when {@code e} or a cause is a constraint violation (SQLState class 23), e.g. a duplicate key. */
    public static boolean isConstraintViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLIntegrityConstraintViolationException) {
                return true;
            }
            if (t instanceof java.sql.SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("23")) {
                return true;
            }
        }
        return false;
    }
}
