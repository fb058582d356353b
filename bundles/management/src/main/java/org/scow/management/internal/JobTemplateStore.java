package org.scow.management.internal;

import static org.scow.persistence.Transactions.read;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.PersistenceException;
import org.scow.api.scheduler.util.Names;
import org.scow.management.ManagementException;
import org.scow.persistence.Transactions;

/**
 * Users' saved job forms. Each user sees and changes only their own templates (another user's id answers 404);
 * names are unique per user. Spec fields are all optional, but those given must be valid.
 */
public class JobTemplateStore {
    /** Largest script of a template, in UTF-8 bytes. */
    public static final int MAX_SCRIPT_BYTES = 1024 * 1024;
    /** Most templates one user may keep. */
    public static final int MAX_PER_USER = 500;
    static final int MAX_NAME = 100;
    static final int MAX_PATH = 4096;

    /** The job fields a template keeps (JobSpec without the user, who is whoever submits it). */
    public record Spec(String name, String account, String partition, String qos, Integer nodes,
                       Integer coresPerNode, Integer gpusPerNode, Long memoryMbPerNode, Long timeLimitMinutes,
                       String script, String workingDirectory, String stdout, String stderr) {
        public static final Spec EMPTY = new Spec(null, null, null, null, null, null, null, null, null, null, null,
                null, null);
    }

    public record Template(long id, String name, String cluster, Spec spec, Instant createdAt, Instant updatedAt) {
    }

    private final EntityManagerFactory emf;
    private final Clock clock;

    public JobTemplateStore(EntityManagerFactory emf, Clock clock) {
        this.emf = emf;
        this.clock = clock;
    }

    public List<Template> list(String owner) {
        requireOwner(owner);
        return read(emf, em -> em.createQuery("SELECT t FROM JobTemplateEntity t WHERE t.owner = :o "
                + "ORDER BY t.name", JobTemplateEntity.class).setParameter("o", owner).getResultList().stream()
                .map(JobTemplateStore::toTemplate).toList());
    }

    public Template get(String owner, long id) {
        requireOwner(owner);
        return read(emf, em -> toTemplate(require(em, owner, id)));
    }

    public Template create(String owner, String name, String cluster, Spec spec) {
        requireOwner(owner);
        checkName(name);
        checkCluster(cluster);
        Spec s = check(spec == null ? Spec.EMPTY : spec);
        return write(name, () -> Transactions.tx(emf, em -> {
            long count = em.createQuery("SELECT COUNT(t) FROM JobTemplateEntity t WHERE t.owner = :o", Long.class)
                    .setParameter("o", owner).getSingleResult();
            if (count >= MAX_PER_USER) {
                throw ManagementException.conflict("you already keep " + MAX_PER_USER
                        + " job templates: delete some first");
            }
            requireFreeName(em, owner, name, null);
            JobTemplateEntity t = new JobTemplateEntity();
            t.owner = owner;
            t.name = name.trim();
            t.cluster = cluster;
            apply(t, s);
            t.createdAt = now();
            t.updatedAt = t.createdAt;
            em.persist(t);
            em.flush();
            return toTemplate(t);
        }));
    }

    /** Renames, moves to another cluster and/or replaces the spec; null arguments keep what is there. */
    public Template update(String owner, long id, String name, String cluster, Spec spec) {
        requireOwner(owner);
        if (name != null) {
            checkName(name);
        }
        if (cluster != null) {
            checkCluster(cluster);
        }
        Spec s = spec == null ? null : check(spec);
        return write(name, () -> Transactions.tx(emf, em -> {
            JobTemplateEntity t = require(em, owner, id);
            if (name != null && !name.trim().equals(t.name)) {
                requireFreeName(em, owner, name, id);
                t.name = name.trim();
            }
            if (cluster != null) {
                t.cluster = cluster;
            }
            if (s != null) {
                apply(t, s);
            }
            t.updatedAt = now();
            em.flush();
            return toTemplate(t);
        }));
    }

    public void delete(String owner, long id) {
        requireOwner(owner);
        Transactions.tx(emf, em -> {
            em.remove(require(em, owner, id));
            return null;
        });
    }

    /** A concurrent insert of the same name loses on the unique key: report it like the checked case. */
    private static Template write(String name, java.util.function.Supplier<Template> work) {
        try {
            return work.get();
        } catch (PersistenceException e) {
            if (Transactions.isConstraintViolation(e)) {
                throw ManagementException.exists("job template", name);
            }
            throw e;
        }
    }

    private static void requireFreeName(EntityManager em, String owner, String name, Long except) {
        List<Long> same = em.createQuery("SELECT t.id FROM JobTemplateEntity t WHERE t.owner = :o AND t.name = :n",
                Long.class).setParameter("o", owner).setParameter("n", name.trim()).getResultList();
        if (same.stream().anyMatch(i -> !i.equals(except))) {
            throw ManagementException.exists("job template", name.trim());
        }
    }

    private static JobTemplateEntity require(EntityManager em, String owner, long id) {
        JobTemplateEntity t = em.find(JobTemplateEntity.class, id);
        if (t == null || !t.owner.equals(owner)) {
            // someone else's template does not exist for this caller
            throw new ManagementException(404, "JOB_TEMPLATE_NOT_FOUND", "you have no job template " + id,
                    Map.of("id", id));
        }
        return t;
    }

    private static void apply(JobTemplateEntity t, Spec s) {
        t.jobName = s.name();
        t.account = s.account();
        t.partition = s.partition();
        t.qos = s.qos();
        t.nodes = s.nodes();
        t.coresPerNode = s.coresPerNode();
        t.gpusPerNode = s.gpusPerNode();
        t.memoryMbPerNode = s.memoryMbPerNode();
        t.timeLimitMinutes = s.timeLimitMinutes();
        t.script = s.script();
        t.workingDirectory = s.workingDirectory();
        t.stdout = s.stdout();
        t.stderr = s.stderr();
    }

    private static Template toTemplate(JobTemplateEntity t) {
        return new Template(t.id, t.name, t.cluster, new Spec(t.jobName, t.account, t.partition, t.qos, t.nodes,
                t.coresPerNode, t.gpusPerNode, t.memoryMbPerNode, t.timeLimitMinutes, t.script, t.workingDirectory,
                t.stdout, t.stderr), t.createdAt, t.updatedAt);
    }

    // ---- validation ---------------------------------------------------------------------------------------------

    private static void requireOwner(String owner) {
        if (owner == null || owner.isBlank()) {
            throw new ManagementException(401, "UNAUTHENTICATED", "sign in first: job templates belong to a user",
                    Map.of());
        }
    }

    private static void checkName(String name) {
        if (name == null || name.isBlank()) {
            throw ManagementException.invalid("name", "is required");
        }
        if (name.trim().length() > MAX_NAME || hasControl(name)) {
            throw ManagementException.invalid("name", "must be at most " + MAX_NAME + " printable characters");
        }
    }

    private static void checkCluster(String cluster) {
        if (cluster == null || cluster.isBlank()) {
            throw ManagementException.invalid("cluster", "is required");
        }
        Rows.checkName("cluster", cluster);
    }

    static Spec check(Spec s) {
        if (s.name() != null && (s.name().length() > 200 || hasControl(s.name()))) {
            throw ManagementException.invalid("spec.name", "must be at most 200 printable characters");
        }
        optionalName("spec.account", s.account());
        optionalName("spec.partition", s.partition());
        optionalName("spec.qos", s.qos());
        atLeast("spec.nodes", s.nodes(), 1);
        atLeast("spec.coresPerNode", s.coresPerNode(), 1);
        atLeast("spec.gpusPerNode", s.gpusPerNode(), 0);
        atLeast("spec.memoryMbPerNode", s.memoryMbPerNode(), 1);
        atLeast("spec.timeLimitMinutes", s.timeLimitMinutes(), 1);
        if (s.script() != null && s.script().getBytes(StandardCharsets.UTF_8).length > MAX_SCRIPT_BYTES) {
            throw ManagementException.invalid("spec.script", "must be at most 1 MiB");
        }
        path("spec.workingDirectory", s.workingDirectory(), true);
        path("spec.stdout", s.stdout(), false);
        path("spec.stderr", s.stderr(), false);
        return s;
    }

    private static void optionalName(String field, String value) {
        if (value != null && !value.isEmpty() && !Names.isValid(value)) {
            throw ManagementException.invalid(field, "'" + value + "' " + Names.RULE);
        }
    }

    private static void atLeast(String field, Number value, long min) {
        if (value != null && value.longValue() < min) {
            throw ManagementException.invalid(field, "must be at least " + min + ", was " + value);
        }
    }

    private static void path(String field, String value, boolean absolute) {
        if (value == null || value.isEmpty()) {
            return;
        }
        if (value.length() > MAX_PATH || hasControl(value)) {
            throw ManagementException.invalid(field, "must be one line of at most " + MAX_PATH + " characters");
        }
        if (absolute && !value.startsWith("/")) {
            throw ManagementException.invalid(field, "must be an absolute path");
        }
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(Character::isISOControl);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
