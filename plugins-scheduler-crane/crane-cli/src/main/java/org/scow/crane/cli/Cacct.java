package org.scow.crane.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.scow.crane.protocol.v1.Job;
import org.scow.crane.protocol.v1.JobList;
import org.scow.crane.protocol.v1.JobQuery;

/**
 * {@code cacct}: accounting of jobs, finished ones included (the controller's history, by end time). Time
 * ranges are {@code a~b}, {@code a~} or {@code ~b}; a single time is a lower bound for -s/-S and an upper bound for
 * -E (sacct's meaning).
 */
final class Cacct extends Base {
    static Base create() {
        return new Cacct();
    }

    static final String DEFAULT_FORMAT = "JobId,JobName,Partition,Account,AllocCPUS,State,ExitCode";

    private static final List<Args.Opt> OPTIONS = List.of(
            Args.value("-j, --jobs", "ID,...", "Only these jobs (N, ARRAYID or ARRAYID_TASK)"),
            Args.value("-n, --name", "NAME", "Only jobs with this name"),
            Args.value("-u, --user", "USER,...", "Only these users' jobs"),
            Args.value("-A, --account", "ACCOUNT,...", "Only these accounts' jobs"),
            Args.value("-p, --partition", "PARTITION,...", "Only jobs in these partitions"),
            Args.value("-q, --qos", "QOS,...", "Only jobs with these QoS"),
            Args.value("-t, --state", "STATE,...", "p,r,c,f,x,t,oom,nf or full names, or all"),
            Args.value("-s, --submit-time", "RANGE", "Submitted in a~b, a~, ~b, or from a time on"),
            Args.value("-S, --start-time", "RANGE", "Started in a~b, a~, ~b, or from a time on"),
            Args.value("-E, --end-time", "RANGE", "Ended in a~b, a~, ~b, or up to a time"),
            Args.value("-w, --nodelist", "HOSTS", "Only jobs on these hosts"),
            Args.flag("-N, --noheader", "No header line"),
            Args.flag("-F, --full", "Do not truncate fields"),
            Args.flag("--parsable", "Fields separated by |, no padding"),
            Args.value("-m, --max-lines", "N", "At most N jobs (default 1000; 0: all)"),
            Args.value("-o, --format", "FORMAT", "Output format (JobId,JobName%30,... or %j %n ...)"),
            Args.flag("--json", "JSON: {\"jobs\":[...],\"total\":N}"));

    List<String> jobs;
    String name;
    List<String> users;
    List<String> accounts;
    List<String> partitions;
    List<String> qos;
    List<String> states;
    String submitRange;
    String startRange;
    String endRange;
    String nodelist;
    boolean noHeader;
    boolean full;
    boolean parsable;
    int maxLines;
    String format;
    boolean json;

    @Override
    List<Args.Opt> options() {
        return OPTIONS;
    }

    @Override
    List<String> description() {
        return List.of("Show job accounting: finished and live jobs.");
    }

    @Override
    void bind(Args a) throws CliException {
        noPositionals(a);
        jobs = a.list("--jobs");
        name = a.string("--name");
        users = a.list("--user");
        accounts = a.list("--account");
        partitions = a.list("--partition");
        qos = a.list("--qos");
        states = a.list("--state");
        submitRange = a.string("--submit-time");
        startRange = a.string("--start-time");
        endRange = a.string("--end-time");
        nodelist = a.string("--nodelist");
        noHeader = a.flag("--noheader");
        full = a.flag("--full");
        parsable = a.flag("--parsable");
        maxLines = a.integer("--max-lines", 1000);
        format = a.string("--format");
        json = a.flag("--json");
    }

    @Override
    int run() throws CliException {
        Table<Job> table = Table.parse("--format", format != null ? format : DEFAULT_FORMAT,
                slurm ? Jobs.SLURM_FIELDS : Jobs.FIELDS);
        if (maxLines < 0) throw CliException.usage("--max-lines must not be negative");
        long now = System.currentTimeMillis() / 1000;
        JobQuery.Builder q = JobQuery.newBuilder().setIncludeFinished(true);
        if (users != null) q.addAllUsers(users);
        if (accounts != null) q.addAllAccounts(accounts);
        if (partitions != null) q.addAllPartitions(partitions);
        q.addAllStates(Jobs.states("--state", states));
        if (name != null) q.setName(name);
        Predicate<Job> extra = j -> true;
        if (endRange != null) {
            long[] r = Times.range("--end-time", endRange, true, now);
            // the controller's range is [from, to); a given upper bound is inclusive to the second
            q.setEndFrom(r[0]).setEndTo(r[1] > 0 ? r[1] + 1 : 0);
        }
        if (startRange != null) extra = extra.and(inRange(Times.range("--start-time", startRange, false, now), Job::getStartTime));
        if (submitRange != null) extra = extra.and(inRange(Times.range("--submit-time", submitRange, false, now), Job::getSubmitTime));
        if (qos != null) extra = extra.and(j -> qos.contains(j.getQos()));
        if (nodelist != null) extra = extra.and(Jobs.onHosts("--nodelist", nodelist));
        List<Jobs.Id> ids = Jobs.ids("--jobs", jobs);
        if (!ids.isEmpty()) extra = extra.and(j -> ids.stream().anyMatch(id -> id.matches(j)));

        JobList got = client().call(c -> c.queryJobs(q.build()));
        List<Job> rows = new ArrayList<>();
        for (Job j : got.getJobsList()) if (extra.test(j)) rows.add(j);
        int total = rows.size();
        if (maxLines > 0 && rows.size() > maxLines) rows = rows.subList(0, maxLines);
        int shown = rows.size();
        // each job's steps (crun) right under it, as JOB.STEP
        rows = Steps.withSteps(this, rows);
        // no silent failures: when a shown job ended for a reason its node gave (it could not start...), the default
        // layout gets the Reason column
        if (format == null && rows.stream().anyMatch(j -> !j.getReason().isEmpty() && !j.getState().equals("PENDING"))) {
            table = Table.parse("--format", DEFAULT_FORMAT + ",Reason", slurm ? Jobs.SLURM_FIELDS : Jobs.FIELDS);
        }
        if (json) {
            io.out().println(Json.of(Json.obj("jobs", rows, "total", total)));
        } else {
            table.print(rows, io.out(), noHeader, full, parsable);
            if (shown < total) warn("showing " + shown + " of " + total + " jobs (-m 0 shows all)");
        }
        return 0;
    }

    private static Predicate<Job> inRange(long[] r, java.util.function.ToLongFunction<Job> time) {
        return j -> {
            long t = time.applyAsLong(j);
            if (t <= 0) return false;
            return (r[0] == 0 || t >= r[0]) && (r[1] == 0 || t <= r[1]);
        };
    }
}
