package org.scow.crane.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.scow.crane.protocol.HostList;
import org.scow.crane.protocol.v1.Job;
import org.scow.crane.protocol.v1.JobList;
import org.scow.crane.protocol.v1.JobQuery;
import org.scow.crane.protocol.v1.JobRef;

/** What cqueue, cacct, ccancel and ccontrol share about jobs: ids, states, filters and output fields. */
final class Jobs {
    private Jobs() {
    }

    static final List<String> STATES = List.of("PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED", "TIMEOUT",
            "OUT_OF_MEMORY", "NODE_FAIL");
    private static final Map<String, String> STATE_ALIASES = new LinkedHashMap<>();

    static {
        for (String s : STATES) STATE_ALIASES.put(s.toLowerCase(Locale.ROOT), s);
        String[][] aliases = {{"p", "PENDING"}, {"pd", "PENDING"}, {"r", "RUNNING"}, {"c", "COMPLETED"},
            {"cd", "COMPLETED"}, {"f", "FAILED"}, {"x", "CANCELLED"}, {"ca", "CANCELLED"}, {"canceled", "CANCELLED"},
            {"t", "TIMEOUT"}, {"to", "TIMEOUT"}, {"oom", "OUT_OF_MEMORY"}, {"nf", "NODE_FAIL"}};
        for (String[] a : aliases) STATE_ALIASES.put(a[0], a[1]);
    }

    private static final Map<String, String> COMPACT = Map.of("PENDING", "PD", "RUNNING", "R", "COMPLETED", "CD",
            "FAILED", "F", "CANCELLED", "CA", "TIMEOUT", "TO", "OUT_OF_MEMORY", "OOM", "NODE_FAIL", "NF");

    /**
     * States from {@code -t}: names or Slurm/Crane abbreviations (p, pd, r, c, cd, f, x, ca, t, to, oom, nf),
     * comma-separated, case-insensitive; {@code all} (or nothing) means no filter, returned as an empty set.
     */
    static Set<String> states(String option, List<String> given) throws CliException {
        Set<String> out = new LinkedHashSet<>();
        if (given == null) return out;
        for (String g : given) {
            String k = g.strip().toLowerCase(Locale.ROOT);
            if (k.equals("all")) return new LinkedHashSet<>();
            String s = STATE_ALIASES.get(k);
            if (s == null) {
                throw CliException.usage(option + ": unknown job state '" + g + "' (use " + String.join(", ",
                        STATES.stream().map(x -> x.toLowerCase(Locale.ROOT)).toList()) + ", their abbreviations or all)");
            }
            out.add(s);
        }
        return out;
    }

    private static final Pattern ID = Pattern.compile("(\\d{1,18})(?:_(\\d{1,9}))?");

    /** A job id as typed: {@code N} or {@code A_T}. */
    record Id(long id, int task) {
        boolean isTask() {
            return task >= 0;
        }

        boolean matches(Job j) {
            if (isTask()) return j.getArrayJobId() == id && j.getArrayTaskId() == task;
            return j.getJobId() == id || j.getArrayJobId() == id;
        }
    }

    static List<Id> ids(String option, List<String> given) throws CliException {
        List<Id> out = new ArrayList<>();
        if (given == null) return out;
        for (String g : given) {
            for (String part : g.split(",")) {
                if (part.isBlank()) continue;
                Matcher m = ID.matcher(part.strip());
                if (!m.matches()) {
                    throw CliException.usage((option.isEmpty() ? "" : option + ": ") + "'" + part
                            + "' is not a job id (N or ARRAYID_TASK)");
                }
                out.add(new Id(Long.parseLong(m.group(1)), m.group(2) == null ? -1 : Integer.parseInt(m.group(2))));
            }
        }
        return out;
    }

    /**
     * The jobs an id names: a plain job; every task of an array when the id is the array's id; one task for
     * {@code A_T}. Empty when there is no such job.
     */
    static List<Job> resolve(CraneClient c, Id id, boolean includeFinished) throws CliException {
        Job first;
        try {
            first = c.call(s -> s.getJob(JobRef.newBuilder().setJobId(id.id()).build()));
        } catch (CliException e) {
            return List.of(); // the controller says "no job N"; the caller words it
        }
        if (first.getArrayJobId() != id.id()) {
            // a plain job, or a task addressed by its own numeric id
            if (id.isTask()) return List.of();
            return includeFinished || !finished(first) ? List.of(first) : List.of();
        }
        // an array: its tasks have the consecutive ids arrayId .. arrayId+n-1; read them in blocks until one ends
        List<Job> out = new ArrayList<>();
        final int block = 1000;
        for (long from = id.id(); ; from += block) {
            JobQuery.Builder q = JobQuery.newBuilder().setIncludeFinished(true);
            for (long k = from; k < from + block; k++) q.addJobIds(k);
            JobList got = c.call(s -> s.queryJobs(q.build()));
            int inArray = 0;
            for (Job j : got.getJobsList()) {
                if (j.getArrayJobId() != id.id()) continue;
                inArray++;
                if (id.matches(j) && (includeFinished || !finished(j))) out.add(j);
            }
            if (inArray < block) break;
        }
        out.sort(java.util.Comparator.comparingLong(Job::getJobId));
        return out;
    }

    static boolean finished(Job j) {
        return !j.getState().equals("PENDING") && !j.getState().equals("RUNNING");
    }

    /** Hosts of a job's node list (empty while pending). */
    static List<String> hosts(Job j) {
        if (j.getNodeList().isEmpty()) return List.of();
        try {
            return HostList.expand("nodelist", j.getNodeList());
        } catch (RuntimeException e) {
            return List.of(j.getNodeList());
        }
    }

    /** A filter on a host-list option ({@code -w cn[1-3]}): jobs on any of these hosts. */
    static Predicate<Job> onHosts(String option, String spec) throws CliException {
        Set<String> wanted;
        try {
            wanted = Set.copyOf(HostList.expand(option, spec));
        } catch (RuntimeException e) {
            throw CliException.usage(option + ": " + e.getMessage());
        }
        return j -> hosts(j).stream().anyMatch(wanted::contains);
    }

    static String mem(long mb) {
        if (mb <= 0) return "0";
        if (mb % (1024L * 1024) == 0) return mb / (1024L * 1024) + "T";
        if (mb % 1024 == 0) return mb / 1024 + "G";
        return mb + "M";
    }

    private static long elapsed(Job j) {
        if (j.getStartTime() <= 0) return 0;
        long end = j.getEndTime() > 0 ? j.getEndTime() : System.currentTimeMillis() / 1000;
        return end - j.getStartTime();
    }

    private static String nodeListOrReason(Job j) {
        if (j.getState().equals("PENDING")) return "(" + (j.getReason().isEmpty() ? "None" : j.getReason()) + ")";
        return j.getNodeList();
    }

    /** The job fields of cqueue and cacct, with Crane's format letters. */
    static final Table.Fields<Job> FIELDS = new Table.Fields<Job>()
            .add("j", "JobId", "JOBID", Job::getDisplayId)
            .add("n", "JobName", "NAME", Job::getName)
            .add("P", "Partition", "PARTITION", Job::getPartition)
            .add("u", "User", "USER", Job::getUser)
            .add("a", "Account", "ACCOUNT", Job::getAccount)
            .add("q", "QOS", "QOS", Job::getQos)
            .add("t", "State", "STATE", Job::getState)
            .add(null, "StateCompact", "ST", j -> COMPACT.getOrDefault(j.getState(), j.getState()))
            .add("T", "Type", "TYPE", j -> j.getDisplayId().indexOf('.') > 0 ? "Step" : "Batch")
            .add("e", "Elapsed", "TIME", j -> Times.duration(elapsed(j)))
            .add("l", "Timelimit", "TIMELIMIT", j -> Times.limit(j.getTimeLimitSec()))
            .add("N", "NNodes", "NODES", j -> Integer.toString(j.getNodes()))
            .add("L", "NodeList", "NODELIST", Job::getNodeList)
            .add("R", "NodeListReason", "NODELIST(REASON)", Jobs::nodeListOrReason)
            .add("r", "Reason", "REASON", Job::getReason)
            .add("C", "AllocCPUS", "CPUS", j -> Integer.toString(j.getCpus()))
            .add("c", "CPUsPerNode", "CPUS/NODE", j -> Integer.toString(j.getNodes() == 0 ? 0 : j.getCpus() / j.getNodes()))
            .add("m", "ReqMem", "MEM/NODE", j -> mem(j.getMemPerNodeMb()))
            .add("b", "Gres", "GRES", j -> j.getGres().isEmpty() ? "" : j.getGres())
            .add("p", "Priority", "PRIORITY", j -> Long.toString(j.getPriority()))
            .add("s", "Submit", "SUBMIT_TIME", j -> Times.show(j.getSubmitTime()))
            .add("S", "Start", "START_TIME", j -> Times.show(j.getStartTime() > 0 ? j.getStartTime() : j.getExpectedStart()))
            .add("E", "End", "END_TIME", j -> Times.show(j.getEndTime()))
            .add("x", "ExitCode", "EXITCODE", j -> Integer.toString(j.getExitCode()))
            .add("h", "Held", "HELD", j -> j.getHeld() ? "yes" : "no")
            .add("k", "Comment", "COMMENT", Job::getComment)
            .add("Z", "WorkDir", "WORKDIR", Job::getWorkDir)
            .add("o", "StdOut", "STDOUT", Job::getStdout)
            .add("A", "ArrayJobId", "ARRAY_JOB_ID", j -> j.getArrayJobId() == 0 ? "" : Long.toString(j.getArrayJobId()))
            .add("K", "ArrayTaskId", "ARRAY_TASK_ID", j -> j.getArrayJobId() == 0 ? "" : Integer.toString(j.getArrayTaskId()))
            .add("Q", "Requeues", "REQUEUES", j -> Integer.toString(j.getRequeueCount()));

    /** squeue's letters for the same fields (%i id, %j name, %t compact state, %M time, %D nodes, ...). */
    static final Table.Fields<Job> SLURM_FIELDS = FIELDS.withKeys(slurmLetters());

    private static Map<String, String> slurmLetters() {
        Map<String, String> m = new LinkedHashMap<>();
        String[][] pairs = {{"i", "JobId"}, {"A", "JobId"}, {"j", "JobName"}, {"P", "Partition"}, {"u", "User"},
            {"a", "Account"}, {"q", "QOS"}, {"T", "State"}, {"t", "StateCompact"}, {"M", "Elapsed"},
            {"l", "Timelimit"}, {"D", "NNodes"}, {"N", "NodeList"}, {"R", "NodeListReason"}, {"r", "Reason"},
            {"C", "AllocCPUS"}, {"c", "CPUsPerNode"}, {"m", "ReqMem"}, {"b", "Gres"}, {"p", "Priority"},
            {"Q", "Priority"}, {"V", "Submit"}, {"S", "Start"}, {"e", "End"}, {"k", "Comment"}, {"Z", "WorkDir"},
            {"o", "StdOut"}, {"F", "ArrayJobId"}, {"K", "ArrayTaskId"}};
        for (String[] p : pairs) m.put(p[0], p[1]);
        return m;
    }
}
