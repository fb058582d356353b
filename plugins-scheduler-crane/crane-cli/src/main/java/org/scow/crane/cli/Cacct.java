package org.scow.crane.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.scow.crane.protocol.v1.Job;
import org.scow.crane.protocol.v1.JobList;
import org.scow.crane.protocol.v1.JobQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cacct}: accounting of jobs, finished ones included (the controller's history, by end time). Time
 * ranges are {@code a~b}, {@code a~} or {@code ~b}; a single time is a lower bound for -s/-S and an upper bound for
 * -E (sacct's meaning).
 */
@Command(name = "cacct", versionProvider = Crane.Version.class, sortOptions = false,
        description = "Show job accounting: finished and live jobs.")
final class Cacct extends Base {
    static final String DEFAULT_FORMAT = "JobId,JobName,Partition,Account,AllocCPUS,State,ExitCode";

    @Option(names = {"-j", "--jobs"}, split = ",", paramLabel = "ID") List<String> jobs;
    @Option(names = {"-n", "--name"}) String name;
    @Option(names = {"-u", "--user"}, split = ",") List<String> users;
    @Option(names = {"-A", "--account"}, split = ",") List<String> accounts;
    @Option(names = {"-p", "--partition"}, split = ",") List<String> partitions;
    @Option(names = {"-q", "--qos"}, split = ",") List<String> qos;
    @Option(names = {"-t", "--state"}, split = ",", paramLabel = "STATE",
            description = "p,r,c,f,x,t,oom,nf or full names, or all") List<String> states;
    @Option(names = {"-s", "--submit-time"}, paramLabel = "RANGE") String submitRange;
    @Option(names = {"-S", "--start-time"}, paramLabel = "RANGE") String startRange;
    @Option(names = {"-E", "--end-time"}, paramLabel = "RANGE") String endRange;
    @Option(names = {"-w", "--nodelist"}, paramLabel = "HOSTS") String nodelist;
    @Option(names = {"-N", "--noheader"}) boolean noHeader;
    @Option(names = {"-F", "--full"}) boolean full;
    @Option(names = "--parsable", description = "Fields separated by |, no padding") boolean parsable;
    @Option(names = {"-m", "--max-lines"}, paramLabel = "N", description = "At most N jobs (default 1000; 0: all)") int maxLines = 1000;
    @Option(names = {"-o", "--format"}, paramLabel = "FORMAT") String format;
    @Option(names = "--json") boolean json;

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
        if (json) {
            io.out().println(Json.of(Json.obj("jobs", rows, "total", total)));
        } else {
            table.print(rows, io.out(), noHeader, full, parsable);
            if (rows.size() < total) warn("showing " + rows.size() + " of " + total + " jobs (-m 0 shows all)");
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
