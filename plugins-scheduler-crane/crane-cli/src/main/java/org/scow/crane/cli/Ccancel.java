package org.scow.crane.cli;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.scow.crane.protocol.v1.CancelFilter;
import org.scow.crane.protocol.v1.Count;
import org.scow.crane.protocol.v1.Empty;
import org.scow.crane.protocol.v1.Job;
import org.scow.crane.protocol.v1.JobList;
import org.scow.crane.protocol.v1.JobQuery;
import org.scow.crane.protocol.v1.JobRef;

/**
 * {@code ccancel [ID[,ID]...] [filters]}: cancels jobs by id ({@code N}, an array's id for all its tasks, or
 * {@code A_T}) and/or by filters, which are ANDed; an id or a filter is required.
 */
final class Ccancel extends Base {
    static Base create() {
        return new Ccancel();
    }

    private static final List<Args.Opt> OPTIONS = List.of(
            Args.value("-n, --name", "NAME", "Only jobs with this name"),
            Args.value("-u, --user", "USER", "Only this user's jobs"),
            Args.value("-A, --account", "ACCOUNT", "Only this account's jobs"),
            Args.value("-p, --partition", "PARTITION", "Only jobs in this partition"),
            Args.value("-t, --state", "STATE", "pending or running"),
            Args.value("-w, --nodes", "HOSTS", "Only jobs on these hosts"),
            Args.flag("--self", "Only the caller's jobs"));

    private static final java.util.regex.Pattern STEP_ID = java.util.regex.Pattern.compile("(\\d{1,18})\\.(\\d{1,10})");

    List<String> ids;
    String name;
    String user;
    String account;
    String partition;
    String state;
    String nodes;
    boolean self;

    @Override
    List<Args.Opt> options() {
        return OPTIONS;
    }

    @Override
    String synopsis() {
        return "[OPTIONS] [ID...]";
    }

    @Override
    List<String> description() {
        return List.of("Cancel jobs by id and/or by filters (ANDed).",
                "  ID: N, ARRAYID, ARRAYID_TASK or JOB.STEP (one step); comma-separated too");
    }

    @Override
    void bind(Args a) throws CliException {
        ids = a.positionals();
        name = a.string("--name");
        user = a.string("--user");
        account = a.string("--account");
        partition = a.string("--partition");
        state = a.string("--state");
        nodes = a.string("--nodes");
        self = a.flag("--self");
    }

    @Override
    int run() throws CliException {
        // JOB.STEP ids cancel one step (crun) of a running job
        List<String> jobIds = new java.util.ArrayList<>();
        List<long[]> stepIds = new java.util.ArrayList<>();
        for (String g : ids) {
            for (String part : g.split(",")) {
                java.util.regex.Matcher m = STEP_ID.matcher(part.strip());
                if (m.matches()) stepIds.add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
                else if (!part.isBlank()) jobIds.add(part);
            }
        }
        int stepFailures = 0;
        for (long[] s : stepIds) {
            try {
                if (s[1] > Integer.MAX_VALUE) throw CliException.usage("'" + s[0] + "." + s[1] + "' is not a step id");
                client().call(c -> c.cancelStep(org.scow.crane.protocol.v1.StepRef.newBuilder().setJobId(s[0])
                        .setStepId((int) s[1]).build()));
                if (!slurm) io.out().println("Step " + s[0] + "." + s[1] + " cancelled");
            } catch (CliException e) {
                io.err().println(prog + ": error: step " + s[0] + "." + s[1] + ": " + e.getMessage());
                stepFailures++;
            }
        }
        if (!stepIds.isEmpty() && jobIds.isEmpty()) return stepFailures == 0 ? 0 : CliException.FAILED;
        ids = jobIds;
        List<Jobs.Id> wanted = Jobs.ids("", ids);
        String st = null;
        if (state != null) {
            Set<String> s = Jobs.states("--state", List.of(state));
            if (s.size() != 1 || !(s.contains("PENDING") || s.contains("RUNNING"))) {
                throw CliException.usage("--state: only pending or running jobs can be cancelled");
            }
            st = s.iterator().next();
        }
        if (self) user = client().call(c -> c.whoAmI(Empty.getDefaultInstance())).getActor();
        boolean filtered = name != null || user != null || account != null || partition != null || st != null || nodes != null;
        if (wanted.isEmpty() && !filtered) {
            throw CliException.usage("give job ids or at least one filter (-n, -u, -A, -p, -t, -w, --self)");
        }
        final String fState = st;
        Predicate<Job> filter = j -> (name == null || name.equals(j.getName())) && (user == null || user.equals(j.getUser()))
                && (account == null || account.equals(j.getAccount()))
                && (partition == null || partition.equals(j.getPartition()))
                && (fState == null ? !Jobs.finished(j) : fState.equals(j.getState()));
        if (nodes != null) filter = filter.and(Jobs.onHosts("--nodes", nodes));

        if (wanted.isEmpty() && nodes == null) {
            // the controller applies the filter in one call
            CancelFilter.Builder f = CancelFilter.newBuilder();
            if (name != null) f.setName(name);
            if (user != null) f.setUser(user);
            if (account != null) f.setAccount(account);
            if (partition != null) f.setPartition(partition);
            if (st != null) f.setState(st);
            Count n = client().call(c -> c.cancelJobs(f.build()));
            if (!slurm) io.out().println("Cancelled " + n.getCount() + " job(s)");
            return 0;
        }
        Set<Long> targets = new LinkedHashSet<>();
        int failures = 0;
        if (wanted.isEmpty()) {
            JobQuery.Builder q = JobQuery.newBuilder();
            if (st != null) q.addStates(st);
            JobList all = client().call(c -> c.queryJobs(q.build()));
            for (Job j : all.getJobsList()) if (filter.test(j)) targets.add(j.getJobId());
        } else {
            for (Jobs.Id id : wanted) {
                List<Job> found = Jobs.resolve(client(), id, true);
                String shown = id.isTask() ? id.id() + "_" + id.task() : Long.toString(id.id());
                if (found.isEmpty()) {
                    io.err().println(prog + ": error: no job " + shown);
                    failures++;
                    continue;
                }
                boolean live = false;
                for (Job j : found) {
                    if (Jobs.finished(j)) continue;
                    live = true;
                    if (filter.test(j)) targets.add(j.getJobId());
                }
                if (!live) {
                    io.err().println(prog + ": error: job " + shown + " has already finished");
                    failures++;
                }
            }
        }
        for (long id : targets) {
            try {
                client().call(c -> c.cancelJob(JobRef.newBuilder().setJobId(id).build()));
                if (!slurm) io.out().println("Job " + id + " cancelled");
            } catch (CliException e) {
                io.err().println(prog + ": error: job " + id + ": " + e.getMessage());
                failures++;
            }
        }
        if (wanted.isEmpty() && !slurm) io.out().println("Cancelled " + (targets.size() - failures) + " job(s)");
        return failures == 0 ? 0 : CliException.FAILED;
    }
}
