package org.scow.crane.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.scow.crane.protocol.v1.Identity;
import org.scow.crane.protocol.v1.Job;
import org.scow.crane.protocol.v1.JobList;
import org.scow.crane.protocol.v1.JobQuery;
import org.scow.crane.protocol.v1.Empty;

/** {@code cqueue}: pending and running jobs, filtered and formatted. */
final class Cqueue extends Base {
    static Base create() {
        return new Cqueue();
    }

    static final String DEFAULT_FORMAT = "%j %P %n %u %a %t %T %e %l %N %R";
    static final String SLURM_FORMAT = "%.18i %.9P %.8j %.8u %.2t %.10M %.9l %.6D %R";

    private static final List<Args.Opt> OPTIONS = List.of(
            Args.value("-j, --job", "ID,...", "Only these jobs (N, ARRAYID or ARRAYID_TASK)"),
            Args.value("-n, --name", "NAME", "Only jobs with this name"),
            Args.value("-u, --user", "USER,...", "Only these users' jobs"),
            Args.value("-A, --account", "ACCOUNT,...", "Only these accounts' jobs"),
            Args.value("-p, --partition", "PARTITION,...", "Only jobs in these partitions"),
            Args.value("-q, --qos", "QOS,...", "Only jobs with these QoS"),
            Args.value("-t, --state", "STATE,...", "pending, running or all (default: pending and running)"),
            Args.value("-w, --nodelist", "HOSTS", "Only jobs on these hosts"),
            Args.flag("--self", "Only the caller's jobs"),
            Args.flag("-S, --start", "Sort by (expected) start time and show it"),
            Args.value("-i, --iterate", "SECONDS", "Repeat every SECONDS"),
            Args.flag("-N, --noheader", "No header line"),
            Args.flag("-F, --full", "Do not truncate fields"),
            Args.value("-m, --max-lines", "N", "At most N jobs (default 100; 0: all)"),
            Args.value("-o, --format", "FORMAT", "Output format (%j %P %n ... or JobId,JobName%30,...)"),
            Args.flag("-s, --steps", "Show the running job steps (JOB.STEP) instead of jobs"),
            Args.flag("--json", "JSON: {\"jobs\":[...],\"total\":N}"));
    static final String STEP_FORMAT = "%j %n %P %u %t %e %N %L";

    List<String> jobs;
    String name;
    List<String> users;
    List<String> accounts;
    List<String> partitions;
    List<String> qos;
    List<String> states;
    String nodelist;
    boolean self;
    boolean start;
    Integer iterate;
    boolean noHeader;
    boolean full;
    int maxLines;
    String format;
    boolean json;
    boolean steps;

    @Override
    List<Args.Opt> options() {
        return OPTIONS;
    }

    @Override
    List<String> description() {
        return List.of("Show pending and running jobs.");
    }

    @Override
    void bind(Args a) throws CliException {
        noPositionals(a);
        jobs = a.list("--job");
        name = a.string("--name");
        users = a.list("--user");
        accounts = a.list("--account");
        partitions = a.list("--partition");
        qos = a.list("--qos");
        states = a.list("--state");
        nodelist = a.string("--nodelist");
        self = a.flag("--self");
        start = a.flag("--start");
        iterate = a.integer("--iterate", null);
        noHeader = a.flag("--noheader");
        full = a.flag("--full");
        maxLines = a.integer("--max-lines", 100);
        format = a.string("--format");
        json = a.flag("--json");
        steps = a.flag("--steps");
    }

    /** The running steps of the jobs shown, as rows. */
    private List<Job> stepRows(List<Job> jobs) throws CliException {
        java.util.Map<Long, Job> byId = new java.util.HashMap<>();
        for (Job j : jobs) if (j.getState().equals("RUNNING")) byId.put(j.getJobId(), j);
        List<Job> rows = new ArrayList<>();
        if (byId.isEmpty()) return rows;
        for (org.scow.crane.protocol.v1.Step s : Steps.query(this, byId.keySet(), false)) rows.add(Steps.row(s, byId.get(s.getJobId())));
        return rows;
    }

    @Override
    int run() throws CliException {
        Table.Fields<Job> fields = slurm ? Jobs.SLURM_FIELDS : Jobs.FIELDS;
        String fmt = format != null ? format : slurm ? SLURM_FORMAT : start ? DEFAULT_FORMAT + " %S" : DEFAULT_FORMAT;
        Table<Job> table = Table.parse("--format", fmt, fields);
        if (maxLines < 0) throw CliException.usage("--max-lines must not be negative");
        if (iterate != null && iterate < 1) throw CliException.usage("--iterate needs at least 1 second");
        Set<String> wanted = Jobs.states("--state", states);
        for (String s : wanted) {
            if (!s.equals("PENDING") && !s.equals("RUNNING")) {
                throw CliException.usage("--state: cqueue shows live jobs only (pending, running); use cacct for "
                        + s.toLowerCase());
            }
        }
        List<Jobs.Id> ids = Jobs.ids("--job", jobs);
        Predicate<Job> extra = j -> true;
        if (qos != null) extra = extra.and(j -> qos.contains(j.getQos()));
        if (nodelist != null) extra = extra.and(Jobs.onHosts("--nodelist", nodelist));
        if (!ids.isEmpty()) extra = extra.and(j -> ids.stream().anyMatch(id -> id.matches(j)));

        JobQuery.Builder q = JobQuery.newBuilder();
        if (users != null) q.addAllUsers(users);
        if (self) {
            Identity me = client().call(c -> c.whoAmI(Empty.getDefaultInstance()));
            q.clearUsers().addUsers(me.getActor());
        }
        if (accounts != null) q.addAllAccounts(accounts);
        if (partitions != null) q.addAllPartitions(partitions);
        q.addAllStates(wanted);
        if (name != null) q.setName(name);
        if (steps && format == null) table = Table.parse("--format", STEP_FORMAT, fields);
        while (true) {
            JobList got = client().call(c -> c.queryJobs(q.build()));
            List<Job> rows = new ArrayList<>();
            for (Job j : got.getJobsList()) if (extra.test(j)) rows.add(j);
            if (steps) rows = stepRows(rows);
            if (start) {
                rows.sort(Comparator.comparingLong((Job j) -> j.getStartTime() > 0 ? j.getStartTime()
                        : j.getExpectedStart() > 0 ? j.getExpectedStart() : Long.MAX_VALUE).thenComparingLong(Job::getJobId));
            }
            int total = rows.size();
            if (maxLines > 0 && rows.size() > maxLines) rows = rows.subList(0, maxLines);
            if (json) {
                io.out().println(Json.of(Json.obj("jobs", rows, "total", total)));
            } else {
                table.print(rows, io.out(), noHeader, full, false);
                if (rows.size() < total) warn("showing " + rows.size() + " of " + total + " jobs (-m 0 shows all)");
            }
            if (iterate == null) return 0;
            io.out().flush();
            try {
                Thread.sleep(iterate * 1000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
            io.out().println();
        }
    }
}
