package org.scow.crane.ctld.account;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.scow.crane.ctld.CtldException;

/**
 * Accounts, users and QoS. Every change is one {@link Op} applied by {@link #apply}: it validates completely and
 * only then mutates, so a refused op changes nothing. The controller logs applied ops (the transaction log) and
 * replays them after a restart; a snapshot stores the state as the op list {@link #exportOps()} rebuilds it with.
 */
public final class AccountStore {
    public static final String ROOT = "root";
    public static final String DEFAULT_QOS = "normal";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** One account-system change: op code, string and numeric arguments. */
    public record Op(int code, String[] s, long[] n) {
        public Op {
            s = s == null ? new String[0] : s;
            n = n == null ? new long[0] : n;
        }

        public String describe() {
            return OP_NAMES[code] + " " + Arrays.toString(s) + (n.length > 0 ? " " + Arrays.toString(n) : "");
        }
    }

    public static final int ADD_QOS = 0;          // s: name, preempt csv (absent/null = none); n: limits (Qos#limits order)
    public static final int MODIFY_QOS = 1;       // s: name, preempt csv (absent/null = keep); n: limits
    public static final int DELETE_QOS = 2;       // s: name
    public static final int ADD_ACCOUNT = 3;      // s: name, parent, description, defaultQos, partitions csv, qos csv; n: shares
    public static final int DELETE_ACCOUNT = 4;   // s: name
    public static final int ADD_USER = 5;         // s: user, account, partitions csv, qos csv, defaultQos
    public static final int REMOVE_USER = 6;      // s: user, account
    public static final int DELETE_USER = 7;      // s: user
    public static final int SET_LEVEL = 8;        // s: user, level
    public static final int SET_COORDINATOR = 9;  // s: user, account; n: 1|0
    public static final int BLOCK_ACCOUNT = 10;   // s: account, partitions csv or null (whole); n: 1 block | 0 unblock
    public static final int BLOCK_USER = 11;      // s: user, account; n: 1|0
    public static final int MODIFY_ACCOUNT = 12;  // s: account, defaultQos, partitions csv, qos csv (null = keep); n: shares (0 keep)
    static final String[] OP_NAMES = {"add-qos", "modify-qos", "delete-qos", "add-account", "delete-account",
        "add-user", "remove-user", "delete-user", "set-level", "set-coordinator", "block-account", "block-user",
        "modify-account"};

    private final Map<String, Qos> qos = new LinkedHashMap<>();
    private final Map<String, Account> accounts = new LinkedHashMap<>();
    private final Map<String, UserRec> users = new LinkedHashMap<>();
    private final Predicate<String> partitionExists;

    public AccountStore(Predicate<String> partitionExists) {
        this.partitionExists = partitionExists;
        Qos normal = new Qos(DEFAULT_QOS);
        qos.put(DEFAULT_QOS, normal);
        Account root = new Account(ROOT, null);
        root.defaultQos = DEFAULT_QOS;
        root.qos.add(DEFAULT_QOS);
        root.description = "root of the account tree";
        accounts.put(ROOT, root);
        UserRec r = new UserRec("root");
        r.level = AdminLevel.ADMIN;
        users.put("root", r);
    }

    public Qos qos(String name) {
        return qos.get(name);
    }

    public Account account(String name) {
        return accounts.get(name);
    }

    public UserRec user(String name) {
        return users.get(name);
    }

    public Collection<Account> accounts() {
        return accounts.values();
    }

    public Collection<Qos> allQos() {
        return qos.values();
    }

    public Collection<UserRec> users() {
        return users.values();
    }

    public AdminLevel level(String user) {
        UserRec u = user == null ? null : users.get(user);
        return u == null ? AdminLevel.NONE : u.level;
    }

    /** True when {@code user} coordinates {@code account} or one of its ancestors. */
    public boolean coordinates(String user, Account account) {
        for (Account a = account; a != null; a = a.parent) {
            Membership m = a.members.get(user);
            if (m != null && m.coordinator) return true;
        }
        return false;
    }

    public long maxQosPriority() {
        long m = 0;
        for (Qos q : qos.values()) m = Math.max(m, q.priority);
        return m;
    }

    // ------------------------------------------------------------------------------------------------------------

    /** Validates and applies one op; throws {@link CtldException} without changing anything when refused. */
    public void apply(Op op) {
        String[] s = op.s();
        long[] n = op.n();
        switch (op.code()) {
            case ADD_QOS, MODIFY_QOS -> {
                String name = name("qos", arg(s, 0));
                long[] lim = limits(n);
                Qos q = qos.get(name);
                if (op.code() == ADD_QOS) {
                    if (q != null) throw new CtldException(CtldException.Code.ALREADY_EXISTS, "qos", "QoS '" + name + "' exists");
                } else if (q == null) {
                    throw CtldException.notFound("qos", "no QoS '" + name + "'");
                }
                Set<String> preempt = s.length > 1 && s[1] != null ? csv(s, 1) : null;
                if (preempt != null) checkPreemptList(name, preempt);
                if (q == null) {
                    q = new Qos(name);
                    qos.put(name, q);
                }
                q.setLimits(lim);
                if (preempt != null) {
                    q.preempt.clear();
                    q.preempt.addAll(preempt);
                }
            }
            case DELETE_QOS -> {
                String name = arg(s, 0);
                Qos q = requireQos(name);
                if (name.equals(DEFAULT_QOS)) throw CtldException.state("QoS 'normal' cannot be deleted");
                for (Qos other : qos.values()) {
                    if (other.preempt.contains(name)) throw CtldException.state("QoS '" + name + "' is in the preempt list of QoS '" + other.name + "'");
                }
                for (Account a : accounts.values()) {
                    if (a.qos.contains(name)) throw CtldException.state("QoS '" + name + "' is used by account '" + a.name + "'");
                }
                for (Counter c : q.users.values()) if (c.submitted > 0) throw CtldException.state("QoS '" + name + "' has jobs");
                qos.remove(name);
            }
            case ADD_ACCOUNT -> {
                String name = name("account", arg(s, 0));
                if (accounts.containsKey(name)) {
                    throw new CtldException(CtldException.Code.ALREADY_EXISTS, "account", "account '" + name + "' exists");
                }
                Account parent = requireAccount(s.length > 1 && s[1] != null ? s[1] : ROOT);
                Set<String> parts = csv(s, 4);
                Set<String> qs = csv(s, 5);
                for (String p : parts) requirePartition(p);
                if (!parent.partitions.isEmpty() && !parts.isEmpty() && !parent.partitions.containsAll(parts)) {
                    throw CtldException.invalid("partitions", "must be a subset of the parent's " + parent.partitions);
                }
                if (qs.isEmpty()) qs.addAll(parent.qos);
                for (String q : qs) requireQos(q);
                if (!parent.qos.containsAll(qs)) throw CtldException.invalid("qos", "must be a subset of the parent's " + parent.qos);
                String def = s.length > 3 && s[3] != null ? s[3] : (qs.contains(parent.defaultQos) ? parent.defaultQos : qs.iterator().next());
                if (!qs.contains(def)) throw CtldException.invalid("defaultQos", "'" + def + "' is not in the allowed QoS " + qs);
                long shares = n.length > 0 && n[0] > 0 ? n[0] : 1;
                Account a = new Account(name, parent);
                a.description = s.length > 2 ? s[2] : null;
                a.partitions.addAll(parts.isEmpty() ? parent.partitions : parts);
                a.qos.addAll(qs);
                a.defaultQos = def;
                a.shares = shares;
                parent.children.add(a);
                accounts.put(name, a);
            }
            case MODIFY_ACCOUNT -> {
                Account a = requireAccount(arg(s, 0));
                Set<String> parts = s.length > 2 && s[2] != null ? csv(s, 2) : null;
                Set<String> qs = s.length > 3 && s[3] != null ? csv(s, 3) : null;
                if (parts != null) for (String p : parts) requirePartition(p);
                if (qs != null) {
                    if (qs.isEmpty()) throw CtldException.invalid("qos", "an account needs at least one QoS");
                    for (String q : qs) requireQos(q);
                    if (a.parent != null && !a.parent.qos.containsAll(qs)) {
                        throw CtldException.invalid("qos", "must be a subset of the parent's " + a.parent.qos);
                    }
                }
                String def = s.length > 1 && s[1] != null ? s[1] : a.defaultQos;
                Set<String> newQos = qs != null ? qs : a.qos;
                if (!newQos.contains(def)) throw CtldException.invalid("defaultQos", "'" + def + "' is not in the allowed QoS " + newQos);
                if (n.length > 0 && n[0] < 0) throw CtldException.invalid("shares", "must not be negative");
                if (parts != null) {
                    a.partitions.clear();
                    a.partitions.addAll(parts);
                }
                if (qs != null) {
                    a.qos.clear();
                    a.qos.addAll(qs);
                }
                a.defaultQos = def;
                if (n.length > 0 && n[0] > 0) a.shares = n[0];
            }
            case DELETE_ACCOUNT -> {
                Account a = requireAccount(arg(s, 0));
                if (a.parent == null) throw CtldException.state("the root account cannot be deleted");
                if (!a.children.isEmpty()) throw CtldException.state("account '" + a.name + "' has child accounts");
                if (a.liveJobs > 0) throw CtldException.state("account '" + a.name + "' has pending or running jobs");
                for (Membership m : a.members.values()) users.get(m.user).memberships.remove(a.name);
                a.parent.children.remove(a);
                accounts.remove(a.name);
            }
            case ADD_USER -> {
                String user = name("user", arg(s, 0));
                Account a = requireAccount(arg(s, 1));
                if (a.members.containsKey(user)) {
                    throw new CtldException(CtldException.Code.ALREADY_EXISTS, "user", "user '" + user + "' is already in account '" + a.name + "'");
                }
                Set<String> parts = csv(s, 2);
                Set<String> qs = csv(s, 3);
                for (String p : parts) {
                    requirePartition(p);
                    if (!a.partitionAllowed(p)) throw CtldException.invalid("partitions", "partition '" + p + "' is not allowed for account '" + a.name + "'");
                }
                for (String q : qs) {
                    requireQos(q);
                    if (!a.qosAllowed(q)) throw CtldException.invalid("qos", "QoS '" + q + "' is not allowed for account '" + a.name + "'");
                }
                String def = s.length > 4 ? s[4] : null;
                if (def != null && !(qs.isEmpty() ? a.qos : qs).contains(def)) {
                    throw CtldException.invalid("defaultQos", "'" + def + "' is not among the user's QoS");
                }
                UserRec u = users.computeIfAbsent(user, UserRec::new);
                Membership m = new Membership(user, a);
                m.partitions.addAll(parts);
                m.qos.addAll(qs);
                m.defaultQos = def;
                a.members.put(user, m);
                u.memberships.put(a.name, m);
            }
            case REMOVE_USER -> {
                Membership m = requireMember(arg(s, 0), arg(s, 1));
                m.account.members.remove(m.user);
                users.get(m.user).memberships.remove(m.account.name);
            }
            case DELETE_USER -> {
                UserRec u = requireUser(arg(s, 0));
                if (u.name.equals("root")) throw CtldException.state("user root cannot be deleted");
                for (Membership m : u.memberships.values()) m.account.members.remove(u.name);
                users.remove(u.name);
            }
            case SET_LEVEL -> {
                String user = name("user", arg(s, 0));
                AdminLevel level;
                try {
                    level = AdminLevel.valueOf(arg(s, 1).toUpperCase());
                } catch (IllegalArgumentException e) {
                    throw CtldException.invalid("level", "one of none, operator, admin");
                }
                users.computeIfAbsent(user, UserRec::new).level = level;
            }
            case SET_COORDINATOR -> requireMember(arg(s, 0), arg(s, 1)).coordinator = flag(n);
            case BLOCK_ACCOUNT -> {
                Account a = requireAccount(arg(s, 0));
                Set<String> parts = s.length > 1 && s[1] != null ? csv(s, 1) : null;
                if (parts != null) for (String p : parts) requirePartition(p);
                boolean block = flag(n);
                if (parts == null) {
                    a.blocked = block;
                    if (!block) a.blockedPartitions.clear();
                } else if (block) {
                    a.blockedPartitions.addAll(parts);
                } else {
                    a.blockedPartitions.removeAll(parts);
                }
            }
            case BLOCK_USER -> requireMember(arg(s, 0), arg(s, 1)).blocked = flag(n);
            default -> throw CtldException.invalid("op", "unknown account op " + op.code());
        }
    }

    /**
     * A QoS may preempt only existing QoS, never itself, and never one that could (through other QoS) preempt it
     * back: such a cycle would let two jobs displace each other in turn forever.
     */
    private void checkPreemptList(String name, Set<String> preempt) {
        for (String p : preempt) {
            requireQos(p);
            if (p.equals(name)) throw CtldException.invalid("preempt", "QoS '" + name + "' cannot preempt itself");
            List<String> path = preemptPath(p, name, new LinkedHashSet<>());
            if (path != null) {
                path.add(name);
                throw CtldException.invalid("preempt", "QoS '" + name + "' cannot preempt '" + p + "': '" + p + "' already preempts '"
                        + name + "' (" + String.join(" -> ", path) + "), so their jobs would preempt each other in turn");
            }
        }
    }

    /** A chain of preempt lists leading from {@code from} to {@code to}, or null. */
    private List<String> preemptPath(String from, String to, Set<String> seen) {
        if (!seen.add(from)) return null;
        Qos q = qos.get(from);
        if (q == null) return null;
        for (String next : q.preempt) {
            if (next.equals(to)) return new ArrayList<>(List.of(from));
            List<String> rest = preemptPath(next, to, seen);
            if (rest != null) {
                rest.add(0, from);
                return rest;
            }
        }
        return null;
    }

    /** Ops that rebuild the current state from a fresh store, parents before children. */
    public List<Op> exportOps() {
        List<Op> ops = new ArrayList<>();
        for (Qos q : qos.values()) ops.add(new Op(q.name.equals(DEFAULT_QOS) ? MODIFY_QOS : ADD_QOS, new String[] {q.name}, q.limits()));
        // preempt lists only once every QoS they name exists
        for (Qos q : qos.values()) {
            if (!q.preempt.isEmpty()) ops.add(new Op(MODIFY_QOS, new String[] {q.name, String.join(",", q.preempt)}, q.limits()));
        }
        Account root = accounts.get(ROOT);
        ops.add(new Op(MODIFY_ACCOUNT, new String[] {ROOT, root.defaultQos, String.join(",", root.partitions), String.join(",", root.qos)},
                new long[] {root.shares}));
        List<Account> order = new ArrayList<>();
        walk(root, order);
        for (Account a : order) {
            if (a.parent != null) {
                ops.add(new Op(ADD_ACCOUNT, new String[] {a.name, a.parent.name, a.description, a.defaultQos,
                    String.join(",", a.partitions), String.join(",", a.qos)}, new long[] {a.shares}));
            }
        }
        for (UserRec u : users.values()) {
            if (u.level != AdminLevel.NONE || u.memberships.isEmpty()) {
                ops.add(new Op(SET_LEVEL, new String[] {u.name, u.level.name()}, null));
            }
        }
        for (Account a : order) {
            for (Membership m : a.members.values()) {
                ops.add(new Op(ADD_USER, new String[] {m.user, a.name, String.join(",", m.partitions), String.join(",", m.qos), m.defaultQos}, null));
                if (m.coordinator) ops.add(new Op(SET_COORDINATOR, new String[] {m.user, a.name}, new long[] {1}));
                if (m.blocked) ops.add(new Op(BLOCK_USER, new String[] {m.user, a.name}, new long[] {1}));
            }
            if (a.blocked) ops.add(new Op(BLOCK_ACCOUNT, new String[] {a.name, null}, new long[] {1}));
            if (!a.blockedPartitions.isEmpty()) {
                ops.add(new Op(BLOCK_ACCOUNT, new String[] {a.name, String.join(",", a.blockedPartitions)}, new long[] {1}));
            }
        }
        return ops;
    }

    private static void walk(Account a, List<Account> out) {
        out.add(a);
        for (Account c : a.children) walk(c, out);
    }

    // ------------------------------------------------------------------------------------------------------------

    private static String arg(String[] s, int i) {
        if (i >= s.length || s[i] == null) throw CtldException.invalid("argument", "missing argument " + (i + 1));
        return s[i];
    }

    private static String name(String field, String v) {
        if (!NAME.matcher(v).matches()) {
            throw CtldException.invalid(field, "'" + v + "' must start with a letter or digit and contain only letters, digits, '.', '_' or '-' (at most 64)");
        }
        return v;
    }

    private static boolean flag(long[] n) {
        return n.length == 0 || n[0] != 0;
    }

    private static long[] limits(long[] n) {
        long[] v = Arrays.copyOf(n, 7);
        String[] names = {"priority", "maxJobsPerUser", "maxSubmitJobsPerUser", "maxCpusPerUser", "maxJobsPerAccount",
            "maxSubmitJobsPerAccount", "maxWall"};
        for (int i = 0; i < v.length; i++) if (v[i] < 0) throw CtldException.invalid(names[i], "must not be negative (0 = unlimited)");
        return v;
    }

    private static Set<String> csv(String[] s, int i) {
        Set<String> out = new LinkedHashSet<>();
        if (i >= s.length || s[i] == null || s[i].isBlank()) return out;
        for (String x : s[i].split(",")) {
            if (!x.isBlank()) out.add(x.trim());
        }
        return out;
    }

    private void requirePartition(String p) {
        if (!partitionExists.test(p)) throw CtldException.notFound("partition", "no partition '" + p + "'");
    }

    public Qos requireQos(String name) {
        Qos q = qos.get(name);
        if (q == null) throw CtldException.notFound("qos", "no QoS '" + name + "'");
        return q;
    }

    public Account requireAccount(String name) {
        Account a = accounts.get(name);
        if (a == null) throw CtldException.notFound("account", "no account '" + name + "'");
        return a;
    }

    public UserRec requireUser(String name) {
        UserRec u = users.get(name);
        if (u == null) throw CtldException.notFound("user", "no user '" + name + "'");
        return u;
    }

    public Membership requireMember(String user, String account) {
        Account a = requireAccount(account);
        Membership m = a.members.get(user);
        // field "membership" (not "user") so clients can tell "not a member" from "no such user"
        if (m == null) throw CtldException.notFound("membership", "user '" + user + "' is not in account '" + account + "'");
        return m;
    }
}
