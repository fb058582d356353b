package org.scow.crane.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.scow.crane.protocol.HostList;
import org.scow.crane.protocol.v1.Empty;
import org.scow.crane.protocol.v1.Node;
import org.scow.crane.protocol.v1.NodeQuery;
import org.scow.crane.protocol.v1.PartitionInfo;

/**
 * {@code cinfo}: partitions and nodes. By default one line per partition and node state (as sinfo);
 * {@code --node-oriented} gives one line per node and partition; {@code -R} lists the reasons of down and drained
 * nodes.
 */
final class Cinfo extends Base {
    static Base create() {
        return new Cinfo();
    }

    static final String DEFAULT_FORMAT = "%P %a %l %D %t %N";
    static final String NODE_FORMAT = "%N %P %t %c %C %m %G %E";
    private static final List<String> NODE_STATES = List.of("idle", "mix", "alloc", "down", "drain");

    private static final List<Args.Opt> OPTIONS = List.of(
            Args.value("-p, --partition", "PARTITION,...", "Only these partitions"),
            Args.value("-n, --nodes", "HOSTS", "Only these nodes"),
            Args.value("-t, --states", "STATE,...", "idle, mix, alloc, down, drain"),
            Args.flag("-d, --dead", "Only down and drained nodes"),
            Args.flag("-r, --responding", "Only nodes that are not down"),
            Args.flag("-R, --list-reasons", "The reasons of down and drained nodes"),
            Args.flag("--node-oriented", "One line per node"),
            Args.value("-i, --iterate", "SECONDS", "Repeat every SECONDS"),
            Args.flag("-N, --noheader", "No header line"),
            Args.flag("-F, --full", "Do not truncate fields"),
            Args.value("-o, --format", "FORMAT", "Output format (%P %a %l %D %t %N ...)"),
            Args.flag("--json", "JSON: {\"partitions\":[...],\"nodes\":[...]}"));

    List<String> partitions;
    String nodes;
    List<String> states;
    boolean dead;
    boolean responding;
    boolean reasons;
    boolean nodeOriented;
    Integer iterate;
    boolean noHeader;
    boolean full;
    String format;
    boolean json;

    @Override
    List<Args.Opt> options() {
        return OPTIONS;
    }

    @Override
    List<String> description() {
        return List.of("Show partitions and nodes.");
    }

    @Override
    void bind(Args a) throws CliException {
        noPositionals(a);
        partitions = a.list("--partition");
        nodes = a.string("--nodes");
        states = a.list("--states");
        dead = a.flag("--dead");
        responding = a.flag("--responding");
        reasons = a.flag("--list-reasons");
        nodeOriented = a.flag("--node-oriented");
        iterate = a.integer("--iterate", null);
        noHeader = a.flag("--noheader");
        full = a.flag("--full");
        format = a.string("--format");
        json = a.flag("--json");
    }

    /** One output line: a partition with a group of its nodes. */
    record Row(PartitionInfo partition, String state, List<Node> nodes) {
    }

    static final Table.Fields<Row> FIELDS = new Table.Fields<Row>()
            .add("P", "Partition", "PARTITION", r -> r.partition.getName() + (r.partition.getIsDefault() ? "*" : ""))
            .add("p,R", "PartitionName", "PARTITION", r -> r.partition.getName())
            .add("a", "Avail", "AVAIL", r -> r.partition.getUp() ? "up" : "down")
            .add("l", "Timelimit", "TIMELIMIT", r -> Times.limit(r.partition.getMaxTimeSec()))
            .add("L", "DefaultTime", "DEFAULTTIME", r -> Times.limit(r.partition.getDefaultTimeSec()))
            .add("D", "Nodes", "NODES", r -> Integer.toString(r.nodes.size()))
            .add("t,s,T", "State", "STATE", Row::state)
            .add("N,n", "NodeList", "NODELIST", r -> HostList.compress(r.nodes.stream().map(Node::getName).toList()))
            .add("c", "CPUs", "CPUS", r -> range(r, Node::getCpus))
            .add("C", "CPUsState", "CPUS(A/I/O/T)", Cinfo::cpuState)
            .add("m", "Memory", "MEMORY", r -> r.nodes.isEmpty() ? "0" : Jobs.mem(r.nodes.get(0).getMemMb()))
            .add("G", "Gres", "GRES", r -> r.nodes.isEmpty() || r.nodes.get(0).getGpus() == 0 ? "(null)"
                    : "gpu:" + r.nodes.get(0).getGpus())
            .add("E", "Reason", "REASON", r -> r.nodes.isEmpty() || r.nodes.get(0).getReason().isEmpty() ? "none"
                    : r.nodes.get(0).getReason())
            .add("j", "Pending", "PENDING", r -> Integer.toString(r.partition.getPendingJobs()))
            .add("J", "Running", "RUNNING", r -> Integer.toString(r.partition.getRunningJobs()));

    private static String range(Row r, java.util.function.ToIntFunction<Node> f) {
        int min = r.nodes.stream().mapToInt(f).min().orElse(0);
        int max = r.nodes.stream().mapToInt(f).max().orElse(0);
        return min == max ? Integer.toString(min) : min + "-" + max;
    }

    private static String cpuState(Row r) {
        long alloc = 0;
        long idle = 0;
        long other = 0;
        long total = 0;
        for (Node n : r.nodes) {
            total += n.getCpus();
            if (n.getState().equals("DOWN") || n.getState().equals("DRAIN")) {
                other += n.getCpus() - n.getCpusAlloc();
                alloc += n.getCpusAlloc();
            } else {
                alloc += n.getCpusAlloc();
                idle += n.getCpus() - n.getCpusAlloc();
            }
        }
        return alloc + "/" + idle + "/" + other + "/" + total;
    }

    @Override
    int run() throws CliException {
        Set<String> wantedStates = new LinkedHashSet<>();
        if (states != null) {
            for (String s : states) {
                String k = s.strip().toLowerCase(Locale.ROOT);
                if (k.equals("mixed")) k = "mix";
                if (k.equals("allocated")) k = "alloc";
                if (k.equals("drained") || k.equals("draining")) k = "drain";
                if (!NODE_STATES.contains(k)) {
                    throw CliException.usage("--states: unknown node state '" + s + "' (use " + String.join(", ", NODE_STATES) + ")");
                }
                wantedStates.add(k);
            }
        }
        Set<String> wantedNodes = null;
        if (nodes != null) {
            try {
                wantedNodes = new LinkedHashSet<>(HostList.expand("--nodes", nodes));
            } catch (RuntimeException e) {
                throw CliException.usage("--nodes: " + e.getMessage());
            }
        }
        String fmt = format != null ? format : reasons ? "%E %N" : nodeOriented ? NODE_FORMAT : DEFAULT_FORMAT;
        Table<Row> table = Table.parse("--format", fmt, FIELDS);
        while (true) {
            print(table, wantedStates, wantedNodes);
            if (iterate == null) return 0;
            io.out().flush();
            try {
                Thread.sleep(Math.max(1, iterate) * 1000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
            io.out().println();
        }
    }

    private void print(Table<Row> table, Set<String> wantedStates, Set<String> wantedNodes) throws CliException {
        List<PartitionInfo> parts = client().call(c -> c.queryPartitions(Empty.getDefaultInstance())).getPartitionsList();
        Map<String, Node> byName = new LinkedHashMap<>();
        for (Node n : client().call(c -> c.queryNodes(NodeQuery.getDefaultInstance())).getNodesList()) {
            byName.put(n.getName(), n);
        }
        if (partitions != null) {
            Set<String> known = new LinkedHashSet<>();
            for (PartitionInfo p : parts) known.add(p.getName());
            for (String p : partitions) {
                if (!known.contains(p)) throw CliException.failed("no partition '" + p + "' (partitions: " + String.join(", ", known) + ")");
            }
        }
        if (wantedNodes != null) {
            for (String n : wantedNodes) if (!byName.containsKey(n)) throw CliException.failed("no node '" + n + "'");
        }
        List<Row> rows = new ArrayList<>();
        List<PartitionInfo> shownParts = new ArrayList<>();
        Set<String> shownNodes = new LinkedHashSet<>();
        for (PartitionInfo p : parts) {
            if (partitions != null && !partitions.contains(p.getName())) continue;
            shownParts.add(p);
            Map<String, List<Node>> groups = new LinkedHashMap<>();
            for (String nn : p.getNodesList()) {
                Node n = byName.get(nn);
                if (n == null || !keep(n, wantedStates, wantedNodes)) continue;
                shownNodes.add(nn);
                String key = nodeOriented ? nn : reasons ? n.getReason() : n.getState().toLowerCase(Locale.ROOT);
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(n);
            }
            for (List<Node> g : groups.values()) rows.add(new Row(p, g.get(0).getState().toLowerCase(Locale.ROOT), g));
        }
        if (json) {
            List<Node> ns = new ArrayList<>();
            for (String n : shownNodes) ns.add(byName.get(n));
            io.out().println(Json.of(Json.obj("partitions", shownParts, "nodes", ns)));
            return;
        }
        if (reasons) {
            // one line per reason over all partitions, as sinfo -R
            Map<String, Row> byReason = new LinkedHashMap<>();
            for (Row r : rows) {
                Row acc = byReason.computeIfAbsent(r.nodes.get(0).getReason(), k -> new Row(r.partition, r.state, new ArrayList<>()));
                for (Node n : r.nodes) if (!acc.nodes.contains(n)) acc.nodes.add(n);
            }
            rows = new ArrayList<>(byReason.values());
        }
        table.print(rows, io.out(), noHeader, full, false);
    }

    private boolean keep(Node n, Set<String> wantedStates, Set<String> wantedNodes) {
        String st = n.getState().toLowerCase(Locale.ROOT);
        boolean down = st.equals("down") || st.equals("drain");
        if (wantedNodes != null && !wantedNodes.contains(n.getName())) return false;
        if (!wantedStates.isEmpty() && !wantedStates.contains(st)) return false;
        if ((dead || reasons) && !down) return false;
        return !(responding && st.equals("down"));
    }
}
