package org.scow.crane.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.scow.crane.protocol.v1.AccountInfo;
import org.scow.crane.protocol.v1.AccountOpRequest;
import org.scow.crane.protocol.v1.AddAccount;
import org.scow.crane.protocol.v1.AddUser;
import org.scow.crane.protocol.v1.BlockAccount;
import org.scow.crane.protocol.v1.BlockUser;
import org.scow.crane.protocol.v1.DeleteAccount;
import org.scow.crane.protocol.v1.DeleteQos;
import org.scow.crane.protocol.v1.DeleteUser;
import org.scow.crane.protocol.v1.Empty;
import org.scow.crane.protocol.v1.Member;
import org.scow.crane.protocol.v1.ModifyAccount;
import org.scow.crane.protocol.v1.QosSpec;
import org.scow.crane.protocol.v1.RemoveUser;
import org.scow.crane.protocol.v1.SetAdminLevel;
import org.scow.crane.protocol.v1.SetCoordinator;
import org.scow.crane.protocol.v1.UserInfo;

/**
 * {@code cacctmgr}: accounts, users, QoS and blocks. Keys are case-insensitive; the name may be given bare or as
 * {@code Name=}; the words {@code where} and {@code set} may be used as in sacctmgr and are ignored.
 */
final class Cacctmgr extends Base {
    static Base create() {
        return new Cacctmgr();
    }

    private static final List<Args.Opt> OPTIONS = List.of(
            Args.flag("--json", "JSON output of show"),
            Args.flag("-N, --noheader", "No header line"));

    List<String> words;
    boolean json;
    boolean noHeader;

    @Override
    List<Args.Opt> options() {
        return OPTIONS;
    }

    @Override
    String synopsis() {
        return "[OPTIONS] WORDS...";
    }

    @Override
    List<String> description() {
        return List.of("Manage accounts, users, QoS and blocks.",
            "  add account NAME [Parent=P] [Description=D] [DefaultQOS=Q] [Partitions=a,b] [QOS=a,b] [Shares=N]",
            "  add user NAME Account=A [Partitions=a,b] [QOS=a,b] [DefaultQOS=Q] [AdminLevel=L] [Coordinator=yes]",
            "  add qos NAME [Priority=N] [MaxJobsPerUser=N] [MaxSubmitPerUser=N] [MaxCpusPerUser=N]",
            "               [MaxJobsPerAccount=N] [MaxSubmitPerAccount=N] [MaxWall=T] [Preempt=q1,q2]",
            "  modify account NAME set [DefaultQOS=Q] [Partitions=a,b] [QOS=a,b] [Shares=N]",
            "  modify user NAME set AdminLevel=none|operator|admin | Coordinator=yes|no Account=A",
            "  modify qos NAME set KEY=VALUE...    (the keys of add qos; others are kept)",
            "  delete account NAME | user NAME [Account=A] | qos NAME",
            "  block|unblock account NAME [Partitions=a,b] | user NAME Account=A",
            "  show account [NAME] | user [NAME] | qos [NAME] | transactions");
    }

    @Override
    void bind(Args a) throws CliException {
        words = a.positionals();
        json = a.flag("--json");
        noHeader = a.flag("--noheader");
    }

    private String name;
    private Map<String, String> kv;

    @Override
    int run() throws CliException {
        if (words.size() < 2) throw CliException.usage("expected an action and an entity, e.g. 'show account'");
        String verb = words.get(0).toLowerCase(Locale.ROOT);
        String entity = words.get(1).toLowerCase(Locale.ROOT);
        if (entity.equals("accounts") || entity.equals("users")) entity = entity.substring(0, entity.length() - 1);
        if (entity.equals("transaction") || entity.equals("txn")) entity = "transactions";
        parse(words.subList(2, words.size()));
        switch (verb) {
            case "add", "create" -> add(entity);
            case "modify", "update" -> modify(entity);
            case "delete", "remove" -> delete(entity);
            case "block", "unblock" -> block(entity, verb.equals("block"));
            case "show", "list" -> show(entity);
            default -> throw CliException.usage("unknown action '" + words.get(0) + "' (add, modify, delete, block, unblock, show)");
        }
        return 0;
    }

    private void parse(List<String> args) throws CliException {
        kv = new LinkedHashMap<>();
        name = null;
        for (String a : args) {
            String low = a.toLowerCase(Locale.ROOT);
            if (low.equals("where") || low.equals("set")) continue;
            int eq = a.indexOf('=');
            if (eq < 0) {
                if (name != null) throw CliException.usage("unexpected word '" + a + "' (expected Key=Value)");
                name = a;
                continue;
            }
            if (eq == 0) throw CliException.usage("expected Key=Value, got '" + a + "'");
            String k = low.substring(0, eq);
            if (k.equals("name") || k.equals("names")) {
                if (name != null) throw CliException.usage("the name is given twice");
                name = a.substring(eq + 1);
                continue;
            }
            if (kv.containsKey(k)) throw CliException.usage(a.substring(0, eq) + " given twice");
            kv.put(k, a.substring(eq + 1));
        }
    }

    private String name(String entity) throws CliException {
        if (name == null || name.isEmpty()) throw CliException.usage("which " + entity + "? give its name");
        return name;
    }

    /** Takes a key (with aliases), or null. */
    private String take(String... keys) {
        String v = null;
        for (String k : keys) {
            String x = kv.remove(k);
            if (x != null) v = x;
        }
        return v;
    }

    private void noMore(String what, String known) throws CliException {
        if (!kv.isEmpty()) throw CliException.usage("unknown key(s) " + kv.keySet() + " for " + what + " (" + known + ")");
    }

    private static List<String> list(String v) {
        List<String> out = new ArrayList<>();
        if (v == null) return out;
        for (String s : v.split(",")) if (!s.isBlank()) out.add(s.strip());
        return out;
    }

    private static long number(String key, String v) throws CliException {
        try {
            long n = Long.parseLong(v.strip());
            if (n < 0) throw CliException.usage(key + " must not be negative");
            return n;
        } catch (NumberFormatException e) {
            throw CliException.usage(key + ": '" + v + "' is not a number");
        }
    }

    private static boolean yes(String key, String v) throws CliException {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "yes", "y", "true", "1" -> true;
            case "no", "n", "false", "0" -> false;
            default -> throw CliException.usage(key + ": '" + v + "' is not yes or no");
        };
    }

    private void op(AccountOpRequest r) throws CliException {
        client().call(c -> c.accountOp(r));
    }

    private void done(String message) {
        io.out().println(message);
    }

    // ---- add -----------------------------------------------------------------------------------------------------

    private void add(String entity) throws CliException {
        String n = name(entity);
        switch (entity) {
            case "account" -> {
                AddAccount.Builder b = AddAccount.newBuilder().setName(n);
                String v;
                if ((v = take("parent")) != null) b.setParent(v);
                if ((v = take("description", "desc")) != null) b.setDescription(v);
                if ((v = take("defaultqos")) != null) b.setDefaultQos(v);
                b.addAllPartitions(list(take("partitions", "partition")));
                b.addAllQos(list(take("qos")));
                if ((v = take("shares", "fairshare")) != null) b.setShares(number("Shares", v));
                noMore("add account", "Parent, Description, DefaultQOS, Partitions, QOS, Shares");
                op(AccountOpRequest.newBuilder().setAddAccount(b).build());
                done("Added account '" + n + "'");
            }
            case "user" -> {
                String account = take("account", "accounts");
                String level = take("adminlevel");
                String coord = take("coordinator");
                AddUser.Builder b = AddUser.newBuilder().setUser(n);
                b.addAllPartitions(list(take("partitions", "partition")));
                b.addAllQos(list(take("qos")));
                String dq = take("defaultqos");
                if (dq != null) b.setDefaultQos(dq);
                noMore("add user", "Account, Partitions, QOS, DefaultQOS, AdminLevel, Coordinator");
                if (account == null && level == null) throw CliException.usage("add user needs Account=");
                if (account != null) {
                    op(AccountOpRequest.newBuilder().setAddUser(b.setAccount(account)).build());
                    done("Added user '" + n + "' to account '" + account + "'");
                }
                if (level != null) setLevel(n, level);
                if (coord != null) setCoordinator(n, account, yes("Coordinator", coord));
            }
            case "qos" -> {
                QosSpec.Builder q = QosSpec.newBuilder().setName(n);
                qosKeys(q);
                op(AccountOpRequest.newBuilder().setAddQos(q).build());
                done("Added QoS '" + n + "'");
            }
            default -> throw CliException.usage("cannot add '" + entity + "' (account, user, qos)");
        }
    }

    private void qosKeys(QosSpec.Builder q) throws CliException {
        String v;
        if ((v = take("priority")) != null) q.setPriority(number("Priority", v));
        if ((v = take("maxjobsperuser", "maxjobs")) != null) q.setMaxJobsPerUser(number("MaxJobsPerUser", v));
        if ((v = take("maxsubmitperuser", "maxsubmitjobsperuser", "maxsubmitjobs")) != null) q.setMaxSubmitPerUser(number("MaxSubmitPerUser", v));
        if ((v = take("maxcpusperuser", "maxcpus")) != null) q.setMaxCpusPerUser(number("MaxCpusPerUser", v));
        if ((v = take("maxjobsperaccount")) != null) q.setMaxJobsPerAccount(number("MaxJobsPerAccount", v));
        if ((v = take("maxsubmitperaccount", "maxsubmitjobsperaccount")) != null) q.setMaxSubmitPerAccount(number("MaxSubmitPerAccount", v));
        if ((v = take("maxwall", "maxwalldurationperjob", "maxtimelimit")) != null) q.setMaxWall(v.equals("0") || v.equalsIgnoreCase("unlimited") ? "" : v);
        if ((v = take("preempt")) != null) q.clearPreempt().addAllPreempt(list(v)); // empty value: preempts nothing
        noMore("qos", "Priority, MaxJobsPerUser, MaxSubmitPerUser, MaxCpusPerUser, MaxJobsPerAccount, MaxSubmitPerAccount, MaxWall, Preempt");
    }

    private void setLevel(String user, String level) throws CliException {
        String l = level.toLowerCase(Locale.ROOT);
        if (!l.equals("none") && !l.equals("operator") && !l.equals("admin")) {
            throw CliException.usage("AdminLevel: '" + level + "' is not none, operator or admin");
        }
        op(AccountOpRequest.newBuilder().setSetAdminLevel(SetAdminLevel.newBuilder().setUser(user).setLevel(l)).build());
        done("Set admin level of '" + user + "' to " + l);
    }

    private void setCoordinator(String user, String account, boolean on) throws CliException {
        if (account == null) throw CliException.usage("Coordinator= needs Account=");
        op(AccountOpRequest.newBuilder().setSetCoordinator(SetCoordinator.newBuilder().setUser(user).setAccount(account)
                .setCoordinator(on)).build());
        done((on ? "Made '" : "Removed '") + user + (on ? "' coordinator of '" : "' as coordinator of '") + account + "'");
    }

    // ---- modify --------------------------------------------------------------------------------------------------

    private void modify(String entity) throws CliException {
        String n = name(entity);
        switch (entity) {
            case "account" -> {
                ModifyAccount.Builder b = ModifyAccount.newBuilder().setName(n);
                String v;
                if ((v = take("defaultqos")) != null) b.setDefaultQos(v);
                if ((v = take("partitions", "partition")) != null) b.setSetPartitions(true).addAllPartitions(list(v));
                if ((v = take("qos")) != null) b.setSetQos(true).addAllQos(list(v));
                if ((v = take("shares", "fairshare")) != null) b.setShares(number("Shares", v));
                noMore("modify account", "DefaultQOS, Partitions, QOS, Shares");
                op(AccountOpRequest.newBuilder().setModifyAccount(b).build());
                done("Modified account '" + n + "'");
            }
            case "user" -> {
                String level = take("adminlevel");
                String coord = take("coordinator");
                String account = take("account");
                noMore("modify user", "AdminLevel, Coordinator with Account");
                if (level == null && coord == null) throw CliException.usage("modify user needs AdminLevel= or Coordinator=");
                if (level != null) setLevel(n, level);
                if (coord != null) setCoordinator(n, account, yes("Coordinator", coord));
            }
            case "qos" -> {
                QosSpec current = client().call(c -> c.queryQos(Empty.getDefaultInstance())).getQosList().stream()
                        .filter(q -> q.getName().equals(n)).findFirst()
                        .orElseThrow(() -> CliException.failed("no QoS '" + n + "'"));
                QosSpec.Builder q = current.toBuilder();
                qosKeys(q);
                op(AccountOpRequest.newBuilder().setModifyQos(q).build());
                done("Modified QoS '" + n + "'");
            }
            default -> throw CliException.usage("cannot modify '" + entity + "' (account, user, qos)");
        }
    }

    // ---- delete --------------------------------------------------------------------------------------------------

    private void delete(String entity) throws CliException {
        String n = name(entity);
        switch (entity) {
            case "account" -> {
                noMore("delete account", "none");
                op(AccountOpRequest.newBuilder().setDeleteAccount(DeleteAccount.newBuilder().setName(n)).build());
                done("Deleted account '" + n + "'");
            }
            case "user" -> {
                String account = take("account");
                noMore("delete user", "Account");
                if (account != null) {
                    op(AccountOpRequest.newBuilder().setRemoveUser(RemoveUser.newBuilder().setUser(n).setAccount(account)).build());
                    done("Removed user '" + n + "' from account '" + account + "'");
                } else {
                    op(AccountOpRequest.newBuilder().setDeleteUser(DeleteUser.newBuilder().setUser(n)).build());
                    done("Deleted user '" + n + "'");
                }
            }
            case "qos" -> {
                noMore("delete qos", "none");
                op(AccountOpRequest.newBuilder().setDeleteQos(DeleteQos.newBuilder().setName(n)).build());
                done("Deleted QoS '" + n + "'");
            }
            default -> throw CliException.usage("cannot delete '" + entity + "' (account, user, qos)");
        }
    }

    // ---- block ---------------------------------------------------------------------------------------------------

    private void block(String entity, boolean block) throws CliException {
        String n = name(entity);
        String what = block ? "Blocked" : "Unblocked";
        switch (entity) {
            case "account" -> {
                List<String> parts = list(take("partitions", "partition"));
                noMore((block ? "block" : "unblock") + " account", "Partitions");
                op(AccountOpRequest.newBuilder().setBlockAccount(BlockAccount.newBuilder().setAccount(n)
                        .addAllPartitions(parts).setBlock(block)).build());
                done(what + " account '" + n + "'" + (parts.isEmpty() ? "" : " in partition(s) " + String.join(",", parts)));
            }
            case "user" -> {
                String account = take("account");
                noMore((block ? "block" : "unblock") + " user", "Account");
                if (account == null) throw CliException.usage((block ? "block" : "unblock") + " user needs Account=");
                op(AccountOpRequest.newBuilder().setBlockUser(BlockUser.newBuilder().setUser(n).setAccount(account)
                        .setBlock(block)).build());
                done(what + " user '" + n + "' in account '" + account + "'");
            }
            default -> throw CliException.usage("cannot block '" + entity + "' (account, user)");
        }
    }

    // ---- show ----------------------------------------------------------------------------------------------------

    /** A user's membership in one account (or a user without accounts: account null). */
    record Membership(UserInfo user, AccountInfo account, Member member) {
    }

    private static final Table.Fields<AccountInfo> ACCOUNT = new Table.Fields<AccountInfo>()
            .add("n", "Name", "NAME", AccountInfo::getName)
            .add("P", "Parent", "PARENT", AccountInfo::getParent)
            .add("d", "Description", "DESCRIPTION", AccountInfo::getDescription)
            .add("s", "Shares", "SHARES", a -> Long.toString(a.getShares()))
            .add("p", "Partitions", "PARTITIONS", a -> a.getPartitionsCount() == 0 ? "(all)" : String.join(",", a.getPartitionsList()))
            .add("q", "QOS", "QOS", a -> String.join(",", a.getQosList()))
            .add("D", "DefaultQOS", "DEFAULTQOS", AccountInfo::getDefaultQos)
            .add("b", "Blocked", "BLOCKED", Cacctmgr::blocked)
            .add("u", "Users", "USERS", a -> String.join(",", a.getMembersList().stream()
                    .map(m -> m.getUser() + (m.getBlocked() ? "(blocked)" : "")).toList()));

    private static String blocked(AccountInfo a) {
        if (a.getBlocked()) return "yes";
        if (a.getBlockedPartitionsCount() > 0) return "in:" + String.join(",", a.getBlockedPartitionsList());
        if (a.getBlockedEffective()) return "inherited";
        if (a.getBlockedInEffectiveCount() > 0) return "inherited-in:" + String.join(",", a.getBlockedInEffectiveList());
        return "no";
    }

    private static final Table.Fields<Membership> USER = new Table.Fields<Membership>()
            .add("n", "User", "USER", m -> m.user.getName())
            .add("a", "Account", "ACCOUNT", m -> m.account == null ? "" : m.account.getName())
            .add("l", "AdminLevel", "ADMINLEVEL", m -> m.user.getAdminLevel().toLowerCase(Locale.ROOT))
            .add("c", "Coordinator", "COORDINATOR", m -> m.member == null ? "" : m.member.getCoordinator() ? "yes" : "no")
            .add("b", "Blocked", "BLOCKED", m -> m.member == null ? "" : m.member.getBlocked() ? "yes" : "no")
            .add("p", "Partitions", "PARTITIONS", m -> m.member == null ? "" : m.member.getPartitionsCount() == 0 ? "(account's)"
                    : String.join(",", m.member.getPartitionsList()))
            .add("q", "QOS", "QOS", m -> m.member == null ? "" : m.member.getQosCount() == 0 ? "(account's)"
                    : String.join(",", m.member.getQosList()))
            .add("D", "DefaultQOS", "DEFAULTQOS", m -> m.member == null ? "" : m.member.getDefaultQos());

    private static final Table.Fields<QosSpec> QOS = new Table.Fields<QosSpec>()
            .add("n", "Name", "NAME", QosSpec::getName)
            .add("p", "Priority", "PRIORITY", q -> Long.toString(q.getPriority()))
            .add("j", "MaxJobsPerUser", "MAXJOBSPU", q -> limit(q.getMaxJobsPerUser()))
            .add("s", "MaxSubmitPerUser", "MAXSUBMITPU", q -> limit(q.getMaxSubmitPerUser()))
            .add("c", "MaxCpusPerUser", "MAXCPUSPU", q -> limit(q.getMaxCpusPerUser()))
            .add("J", "MaxJobsPerAccount", "MAXJOBSPA", q -> limit(q.getMaxJobsPerAccount()))
            .add("S", "MaxSubmitPerAccount", "MAXSUBMITPA", q -> limit(q.getMaxSubmitPerAccount()))
            .add("w", "MaxWall", "MAXWALL", q -> q.getMaxWall().isEmpty() ? "unlimited" : q.getMaxWall())
            .add("P", "Preempt", "PREEMPT", q -> String.join(",", q.getPreemptList()));

    private static String limit(long n) {
        return n == 0 ? "unlimited" : Long.toString(n);
    }

    private void show(String entity) throws CliException {
        noMore("show", "a name only");
        switch (entity) {
            case "account" -> {
                List<AccountInfo> all = new ArrayList<>();
                for (AccountInfo a : client().call(c -> c.queryAccounts(Empty.getDefaultInstance())).getAccountsList()) {
                    if (name == null || name.equals(a.getName())) all.add(a);
                }
                if (name != null && all.isEmpty()) throw CliException.failed("no account '" + name + "'");
                if (json) io.out().println(Json.of(Json.obj("accounts", all)));
                else Table.parse("format", "%n %P %d %s %p %q %D %b %u", ACCOUNT).print(all, io.out(), noHeader, true, false);
            }
            case "user" -> {
                List<UserInfo> users = new ArrayList<>();
                for (UserInfo u : client().call(c -> c.queryUsers(Empty.getDefaultInstance())).getUsersList()) {
                    if (name == null || name.equals(u.getName())) users.add(u);
                }
                if (name != null && users.isEmpty()) throw CliException.failed("no user '" + name + "'");
                List<AccountInfo> accounts = client().call(c -> c.queryAccounts(Empty.getDefaultInstance())).getAccountsList();
                List<Membership> rows = new ArrayList<>();
                List<Object> jsonUsers = new ArrayList<>();
                for (UserInfo u : users) {
                    List<Object> memberships = new ArrayList<>();
                    boolean any = false;
                    for (AccountInfo a : accounts) {
                        for (Member m : a.getMembersList()) {
                            if (!m.getUser().equals(u.getName())) continue;
                            rows.add(new Membership(u, a, m));
                            memberships.add(Json.obj("account", a.getName(), "membership", m));
                            any = true;
                        }
                    }
                    if (!any) rows.add(new Membership(u, null, null));
                    jsonUsers.add(Json.obj("name", u.getName(), "admin_level", u.getAdminLevel(), "accounts", memberships));
                }
                if (json) io.out().println(Json.of(Json.obj("users", jsonUsers)));
                else Table.parse("format", "%n %a %l %c %b %p %q %D", USER).print(rows, io.out(), noHeader, true, false);
            }
            case "qos" -> {
                List<QosSpec> all = new ArrayList<>();
                for (QosSpec q : client().call(c -> c.queryQos(Empty.getDefaultInstance())).getQosList()) {
                    if (name == null || name.equals(q.getName())) all.add(q);
                }
                if (name != null && all.isEmpty()) throw CliException.failed("no QoS '" + name + "'");
                if (json) io.out().println(Json.of(Json.obj("qos", all)));
                else Table.parse("format", "%n %p %j %s %c %J %S %w %P", QOS).print(all, io.out(), noHeader, true, false);
            }
            case "transactions" -> {
                List<String> entries = client().call(c -> c.transactionLog(Empty.getDefaultInstance())).getEntriesList();
                if (json) {
                    io.out().println(Json.of(Json.obj("transactions", entries)));
                } else {
                    for (String e : entries) {
                        int sp = e.indexOf(' ');
                        String when = sp > 0 && e.substring(0, sp).matches("\\d+") ? Times.show(Long.parseLong(e.substring(0, sp))) : null;
                        io.out().println(when == null ? e : when + e.substring(sp));
                    }
                }
            }
            default -> throw CliException.usage("cannot show '" + entity + "' (account, user, qos, transactions)");
        }
    }
}
