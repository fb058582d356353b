package org.scow.crane.ctld;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.scow.crane.ctld.account.Account;
import org.scow.crane.ctld.account.AccountStore;
import org.scow.crane.ctld.account.AdminLevel;
import org.scow.crane.ctld.account.Membership;
import org.scow.crane.ctld.account.Qos;
import org.scow.crane.ctld.model.ArraySpec;
import org.scow.crane.ctld.model.Dependency;
import org.scow.crane.ctld.model.GresRegistry;
import org.scow.crane.ctld.model.JobDesc;
import org.scow.crane.ctld.model.JobRequest;
import org.scow.crane.ctld.model.Node;
import org.scow.crane.ctld.model.Partition;
import org.scow.crane.ctld.util.HostList;
import org.scow.crane.ctld.util.TimeSpec;
import org.scow.crane.protocol.JobUserPolicy;

/**
 * Checks a submission completely before anything changes, so a refused request leaves no trace (it does not even
 * consume a job id): identity and system accounts, account/partition/QoS membership and blocks, the shape and its
 * feasibility on the partition's nodes, limits, dependencies and the queue size. Errors name the request field.
 * Reads the account store and job table under the controller lock; mutates nothing.
 */
final class SubmissionValidator {
    private final CtldConfig cfg;
    private final CtldConfig.Cluster cluster;
    private final AccountStore acct;
    private final JobTable table;
    private final JobUserPolicy userPolicy;

    SubmissionValidator(CtldConfig cfg, CtldConfig.Cluster cluster, AccountStore acct, JobTable table, JobUserPolicy userPolicy) {
        this.cfg = cfg;
        this.cluster = cluster;
        this.acct = acct;
        this.table = table;
        this.userPolicy = userPolicy;
    }

    /**
     * Looks up the users the requests run as in the password database (a getent per new user), to be called
     * outside the controller lock so that {@link #validate}'s system-account check finds them cached.
     */
    void warm(String actor, List<JobRequest> reqs) {
        String lastUser = null;
        for (JobRequest r : reqs) {
            String u = r == null ? null : r.user != null ? r.user : actor;
            if (u != null && !u.equals(lastUser)) userPolicy.warm(u);
            lastUser = u;
        }
    }

    /** The description of an acceptable request, or the {@link CtldException} naming the field that is not. */
    JobDesc validate(String actor, JobRequest r, long now) {
        if (r == null) throw CtldException.invalid("request", "missing");
        if (actor == null) throw CtldException.denied("no caller identity");
        String user = r.user != null ? r.user : actor;
        checkName("user", user);
        if (!user.equals(actor) && acct.level(actor).compareTo(AdminLevel.OPERATOR) < 0) {
            throw CtldException.denied("'" + actor + "' may not submit jobs as '" + user + "'");
        }
        String systemUser = userPolicy.refusal(user);
        if (systemUser != null) throw CtldException.systemUser(systemUser);
        checkText("name", r.name, 200, true);
        Partition p;
        if (r.partition == null) p = cluster.defaultPartition;
        else {
            p = cluster.partitionByName.get(r.partition);
            if (p == null) throw CtldException.notFound("partition", "no partition '" + r.partition + "'");
        }
        String accountName = r.account;
        if (accountName == null) {
            var u = acct.user(user);
            if (u == null || u.memberships.isEmpty()) throw CtldException.invalid("account", "no account given and user '" + user + "' has none");
            accountName = u.memberships.keySet().iterator().next();
        }
        Account a = acct.account(accountName);
        if (a == null) throw CtldException.notFound("account", "no account '" + accountName + "'");
        Membership m = a.members.get(user);
        if (m == null) throw CtldException.denied("user '" + user + "' is not in account '" + a.name + "'");
        Account b = a.blockedAncestor();
        if (b != null) throw new CtldException(CtldException.Code.BLOCKED, "account", "account '" + b.name + "' is blocked"
                + (b == a ? "" : " (parent of '" + a.name + "')") + "; new jobs are not accepted");
        b = a.blockedIn(p.name);
        if (b != null) throw new CtldException(CtldException.Code.BLOCKED, "account", "account '" + b.name
                + "' is blocked in partition '" + p.name + "'; new jobs are not accepted there");
        if (m.blocked) throw new CtldException(CtldException.Code.BLOCKED, "user", "user '" + user
                + "' is blocked in account '" + a.name + "'; new jobs are not accepted");
        if (!m.partitionAllowed(p.name)) throw CtldException.denied("user '" + user + "' in account '" + a.name
                + "' may not use partition '" + p.name + "'");
        String qosName = r.qos != null ? r.qos : m.effectiveDefaultQos();
        Qos q = acct.qos(qosName);
        if (q == null) throw CtldException.notFound("qos", "no QoS '" + qosName + "'");
        if (!m.qosAllowed(q.name)) throw CtldException.denied("QoS '" + q.name + "' is not allowed for user '" + user
                + "' in account '" + a.name + "'");

        int nodes = positive("nodes", r.nodes, 1);
        int cpusPerTask = positive("cpusPerTask", r.cpusPerTask, 1);
        Integer tpn = r.ntasksPerNode == null ? null : positive("ntasksPerNode", r.ntasksPerNode, 1);
        Integer nt = r.ntasks == null ? null : positive("ntasks", r.ntasks, 1);
        int tasksPerNode;
        int ntasks;
        if (tpn != null) {
            tasksPerNode = tpn;
            ntasks = nt != null ? nt : nodes * tpn;
            if ((long) nodes * tpn < ntasks) throw CtldException.invalid("ntasks", ntasks + " tasks do not fit " + nodes + " node(s) x " + tpn + " per node");
        } else {
            ntasks = nt != null ? nt : nodes;
            tasksPerNode = (ntasks + nodes - 1) / nodes;
        }
        if (ntasks < nodes) throw CtldException.invalid("ntasks", ntasks + " tasks cannot use " + nodes + " nodes");
        long cpn = (long) tasksPerNode * cpusPerTask;
        if (cpn > 1_000_000) throw CtldException.invalid("cpusPerTask", "more than 1000000 CPUs per node requested");
        int cpusPerNode = (int) cpn;
        if (r.mem != null && r.memPerCpu != null) throw CtldException.invalid("mem", "give mem or memPerCpu, not both");
        // neither mem nor memPerCpu: the partition's default per CPU (Slurm's DefMemPerCPU), never 0 MiB
        long memPerCpu = r.memPerCpu != null ? TimeSpec.parseMemMb("memPerCpu", r.memPerCpu)
                : r.mem == null ? p.defMemPerCpuMb : 0;
        long memPerNode = r.mem != null ? TimeSpec.parseMemMb("mem", r.mem) : memPerCpu * cpusPerNode;
        GresRegistry.Request gres = cluster.gres.parseRequest("gres", r.gres);
        long limit = r.timeLimit != null ? TimeSpec.parseDuration("timeLimit", r.timeLimit) : p.defaultTimeSec;
        if (p.maxTimeSec > 0 && limit > p.maxTimeSec) throw new CtldException(CtldException.Code.LIMIT_EXCEEDED, "timeLimit",
                "time limit " + TimeSpec.formatDuration(limit) + " exceeds partition '" + p.name + "' maximum " + TimeSpec.formatDuration(p.maxTimeSec));
        if (q.maxWallSec > 0 && limit > q.maxWallSec) throw new CtldException(CtldException.Code.LIMIT_EXCEEDED, "timeLimit",
                "time limit " + TimeSpec.formatDuration(limit) + " exceeds QoS '" + q.name + "' max wall " + TimeSpec.formatDuration(q.maxWallSec));
        if (r.workDir == null || !r.workDir.startsWith("/")) throw CtldException.invalid("workDir", "must be an absolute path");
        checkText("workDir", r.workDir, 4096, false);
        if (r.script == null || r.script.isBlank()) throw CtldException.invalid("script", "must not be empty");
        if (r.script.length() > cfg.maxScriptBytes || r.script.indexOf('\0') >= 0) {
            throw CtldException.invalid("script", "must be text of at most " + cfg.maxScriptBytes + " bytes");
        }
        String[] env = new String[r.env == null ? 0 : r.env.size()];
        if (env.length > 10000) throw CtldException.invalid("env", "more than 10000 variables");
        int k = 0;
        if (r.env != null) {
            for (Map.Entry<String, String> e : r.env.entrySet()) {
                if (e.getKey() == null || !e.getKey().matches("[A-Za-z_][A-Za-z0-9_]{0,255}")) {
                    throw CtldException.invalid("env", "bad variable name '" + e.getKey() + "'");
                }
                String v = e.getValue() == null ? "" : e.getValue();
                if (v.indexOf('\0') >= 0 || v.length() > 131072) throw CtldException.invalid("env", "bad value of " + e.getKey());
                env[k++] = e.getKey() + "=" + v;
            }
        }
        checkText("stdout", r.stdout, 4096, false);
        checkText("stderr", r.stderr, 4096, false);
        checkText("comment", r.comment, 1024, false);
        ArraySpec arr = r.array == null ? null : ArraySpec.parse("array", r.array, cfg.maxArraySize);
        int tasks = arr == null ? 1 : arr.indices().length;
        Dependency dep = Dependency.parse("dependency", r.dependency);
        if (dep != null) {
            for (long id : dep.ids()) {
                if (!table.dependable(id)) {
                    throw CtldException.notFound("dependency", "no job " + id);
                }
            }
        }
        if (r.beginTime < 0) throw CtldException.invalid("beginTime", "must not be negative");
        int[] nl = nodeIndices("nodelist", r.nodelist, p);
        int[] ex = nodeIndices("exclude", r.exclude, p);
        // feasibility: enough nodes of the partition could ever hold one node's share
        int fit = 0;
        for (int n : nl != null ? nl : p.nodes) {
            if (ex != null && Arrays.binarySearch(ex, n) >= 0) continue;
            Node node = cluster.nodes[n];
            if (node.cpus < cpusPerNode || node.memMb < memPerNode) continue;
            if (!gres.none()) {
                boolean any = false;
                for (int c : gres.choices()) any |= node.gres[c] >= gres.count();
                if (!any) continue;
            }
            fit++;
        }
        if (fit < nodes) {
            throw new CtldException(CtldException.Code.IMPOSSIBLE, "resources", "requests " + nodes + " node(s) with "
                    + cpusPerNode + " CPU(s), " + memPerNode + " MiB" + (gres.none() ? "" : ", " + gres.count() + " x " + r.gres)
                    + " each, but partition '" + p.name + "' has only " + fit + " such node(s)"
                    + (nl != null || ex != null ? " after nodelist/exclude" : ""));
        }
        var uc = q.userCounter(user);
        var ac = q.accountCounter(a.name);
        if (q.maxSubmitJobsPerUser > 0 && uc.submitted + tasks > q.maxSubmitJobsPerUser) {
            throw new CtldException(CtldException.Code.LIMIT_EXCEEDED, "qos", "QoS '" + q.name + "' allows " + q.maxSubmitJobsPerUser
                    + " submitted jobs per user; '" + user + "' has " + uc.submitted);
        }
        if (q.maxSubmitJobsPerAccount > 0 && ac.submitted + tasks > q.maxSubmitJobsPerAccount) {
            throw new CtldException(CtldException.Code.LIMIT_EXCEEDED, "qos", "QoS '" + q.name + "' allows " + q.maxSubmitJobsPerAccount
                    + " submitted jobs per account; '" + a.name + "' has " + ac.submitted);
        }
        if ((long) table.pendingCount() + tasks > cfg.maxPendingJobs) {
            throw new CtldException(CtldException.Code.UNAVAILABLE, null, "the queue is full (" + cfg.maxPendingJobs + " pending jobs)");
        }
        return new JobDesc(r.name, user, a.name, p.name, q.name, nodes, ntasks, tasksPerNode, cpusPerTask, cpusPerNode,
                memPerNode, memPerCpu, gres.spec(), gres.count(), limit, r.workDir, r.script, env, r.stdout, r.stderr,
                arr == null ? null : arr.spec(), dep == null ? null : dep.spec(), r.beginTime, r.hold, r.exclusive,
                r.nodelist, r.exclude, r.comment, r.requeue);
    }

    private int[] nodeIndices(String field, String spec, Partition p) {
        if (spec == null || spec.isBlank()) return null;
        List<String> names = HostList.expand(field, spec);
        int[] idx = new int[names.size()];
        for (int i = 0; i < idx.length; i++) {
            Integer x = cluster.nodeIndex.get(names.get(i));
            if (x == null) throw CtldException.notFound(field, "no node '" + names.get(i) + "'");
            if (!contains(p.nodes, x)) {
                throw CtldException.invalid(field, "node '" + names.get(i) + "' is not in partition '" + p.name + "'");
            }
            idx[i] = x;
        }
        Arrays.sort(idx);
        return idx;
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) if (x == v) return true;
        return false;
    }

    private static int positive(String field, Integer v, int def) {
        if (v == null) return def;
        if (v < 1) throw CtldException.invalid(field, "must be at least 1, was " + v);
        return v;
    }

    private static void checkName(String field, String v) {
        if (v == null || !v.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw CtldException.invalid(field, "'" + v + "' must start with a letter or digit and contain only letters, digits, '.', '_' or '-' (at most 64)");
        }
    }

    static void checkText(String field, String v, int max, boolean required) {
        if (v == null) {
            if (required) throw CtldException.invalid(field, "is required");
            return;
        }
        if ((required && v.isBlank()) || v.length() > max || v.chars().anyMatch(Character::isISOControl)) {
            throw CtldException.invalid(field, "must be at most " + max + " printable characters");
        }
    }
}
