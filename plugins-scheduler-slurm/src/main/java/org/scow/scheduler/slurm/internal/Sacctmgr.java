package org.scow.scheduler.slurm.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.SchedulerException;

/**
 * {@code sacctmgr} for one cluster: reads associations with {@code -n -P} and changes them with {@code -i}
 * (commit without asking). Every statement names the cluster, because sacctmgr's default for additions is every
 * cluster in the database.
 */
public final class Sacctmgr {
    private final SlurmCli cli;

    public Sacctmgr(SlurmCli cli) {
        this.cli = cli;
    }

    /** Associations on this cluster matching {@code conditions} (e.g. {@code account=physics}). */
    public List<Association> associations(String... conditions) throws SchedulerException {
        List<String> args = new ArrayList<>(List.of("-n", "-P", "show", "assoc", "where", "cluster=" + cli.cluster()));
        args.addAll(List.of(conditions));
        args.add("format=" + Association.FORMAT);
        return Association.parse(cli.call("sacctmgr", args, ErrorCode.INTERNAL));
    }

    /** The account's associations on this cluster (the account need not exist). */
    public AccountView account(String name) throws SchedulerException {
        return new AccountView(name, associations("account=" + name));
    }

    /** The names of the user's accounts on this cluster, sorted. */
    public Set<String> accountsOf(String user) throws SchedulerException {
        Set<String> accounts = new TreeSet<>();
        associations("user=" + user).forEach(a -> accounts.add(a.account()));
        return accounts;
    }

    /** True when the account still has associations on any cluster of the accounting database. */
    public boolean accountOnAnyCluster(String account) throws SchedulerException {
        String out = cli.call("sacctmgr", List.of("-n", "-P", "show", "assoc", "where", "account=" + account,
                "format=Cluster"), ErrorCode.INTERNAL);
        return !out.isBlank();
    }

    /** The default account of a user, or empty when unset or the user is unknown. */
    public String defaultAccount(String user) throws SchedulerException {
        String out = cli.call("sacctmgr", List.of("-n", "-P", "show", "user", user, "format=DefaultAccount"),
                ErrorCode.INTERNAL);
        return out.strip();
    }

    /**
     * Runs one change, e.g. {@code modify account where name=a cluster=c set GrpSubmitJobs=0}. sacctmgr exits 1 with
     * "Nothing modified/deleted/new added" when the statement matched nothing; callers that only act on
     * associations they just read treat that as done, which also makes retries idempotent.
     */
    public void change(List<String> statement) throws SchedulerException {
        List<String> args = new ArrayList<>();
        args.add("-i");
        args.addAll(statement);
        CommandResult r = cli.exec("sacctmgr", args);
        if (r.ok() || nothingToDo(r)) {
            return;
        }
        String m = r.message();
        ErrorCode code = m.toLowerCase(Locale.ROOT).contains("job(s) active") ? ErrorCode.INVALID_STATE
                : ErrorCode.INTERNAL;
        throw cli.failure("sacctmgr", r, code);
    }

    private static boolean nothingToDo(CommandResult r) {
        String out = (r.stdout() + r.stderr()).toLowerCase(Locale.ROOT);
        return r.exitCode() == 1 && (out.contains("nothing modified") || out.contains("nothing deleted")
                || out.contains("nothing new added")) && !out.contains("error");
    }

    /** slurmctld's AccountingStorageEnforce setting, lower case ("none" when unset). */
    public String enforcement() throws SchedulerException {
        return cli.config().getOrDefault("AccountingStorageEnforce", "none").toLowerCase(Locale.ROOT);
    }

    public String cluster() throws SchedulerException {
        return cli.cluster();
    }
}
