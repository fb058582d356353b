package org.scow.crane.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.scow.crane.protocol.v1.Identity;
import org.scow.crane.protocol.v1.Job;
import org.scow.crane.protocol.v1.JobList;
import org.scow.crane.protocol.v1.JobQuery;
import org.scow.crane.protocol.v1.Empty;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cqueue}: pending and running jobs, filtered and formatted. */
@Command(name = "cqueue", versionProvider = Crane.Version.class, sortOptions = false,
        description = "Show pending and running jobs.")
final class Cqueue extends Base {
    static final String DEFAULT_FORMAT = "%j %P %n %u %a %t %T %e %l %N %R";
    static final String SLURM_FORMAT = "%.18i %.9P %.8j %.8u %.2t %.10M %.9l %.6D %R";

    @Option(names = {"-j", "--job"}, split = ",", paramLabel = "ID") List<String> jobs;
    @Option(names = {"-n", "--name"}) String name;
    @Option(names = {"-u", "--user"}, split = ",") List<String> users;
    @Option(names = {"-A", "--account"}, split = ",") List<String> accounts;
    @Option(names = {"-p", "--partition"}, split = ",") List<String> partitions;
    @Option(names = {"-q", "--qos"}, split = ",") List<String> qos;
    @Option(names = {"-t", "--state"}, split = ",", paramLabel = "STATE",
            description = "pending, running or all (default: pending and running)") List<String> states;
    @Option(names = {"-w", "--nodelist"}, paramLabel = "HOSTS") String nodelist;
    @Option(names = "--self", description = "Only the caller's jobs") boolean self;
    @Option(names = {"-S", "--start"}, description = "Sort by (expected) start time and show it") boolean start;
    @Option(names = {"-i", "--iterate"}, paramLabel = "SECONDS", description = "Repeat every SECONDS") Integer iterate;
    @Option(names = {"-N", "--noheader"}) boolean noHeader;
    @Option(names = {"-F", "--full"}, description = "Do not truncate fields") boolean full;
    @Option(names = {"-m", "--max-lines"}, paramLabel = "N", description = "At most N jobs (default 100; 0: all)") int maxLines = 100;
    @Option(names = {"-o", "--format"}, paramLabel = "FORMAT") String format;
    @Option(names = "--json", description = "JSON: {\"jobs\":[...],\"total\":N}") boolean json;

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
        while (true) {
            JobList got = client().call(c -> c.queryJobs(q.build()));
            List<Job> rows = new ArrayList<>();
            for (Job j : got.getJobsList()) if (extra.test(j)) rows.add(j);
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
