package org.scow.crane.cli;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.scow.crane.protocol.HostList;
import org.scow.crane.protocol.v1.Empty;
import org.scow.crane.protocol.v1.Job;
import org.scow.crane.protocol.v1.JobQuery;
import org.scow.crane.protocol.v1.ModifyJobRequest;
import org.scow.crane.protocol.v1.Node;
import org.scow.crane.protocol.v1.NodeControl;
import org.scow.crane.protocol.v1.NodeQuery;
import org.scow.crane.protocol.v1.PartitionControl;
import org.scow.crane.protocol.v1.PartitionInfo;

/**
 * {@code ccontrol}: show and change jobs, nodes and partitions (keys are case-insensitive):
 * <pre>
 *   ccontrol show job [ID...] | node [NAME...] | partition [NAME...]
 *   ccontrol update JobId=ID[,ID...] [TimeLimit=T] [Priority=N] [Nice=N]
 *   ccontrol update NodeName=HOSTS State=DRAIN|RESUME|DOWN [Reason=TEXT]
 *   ccontrol update PartitionName=P State=UP|DOWN
 *   ccontrol hold ID[,ID...] | release ID[,ID...]
 * </pre>
 */
final class Ccontrol extends Base {
    static Base create() {
        return new Ccontrol();
    }

    private static final List<Args.Opt> OPTIONS = List.of(Args.flag("--json", "JSON output of show"));

    List<String> words;
    boolean json;

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
        return List.of("Show and change jobs, nodes and partitions.",
            "  show job [ID...] | node [NAME...] | partition [NAME...]",
            "  update JobId=ID[,ID...] [TimeLimit=T] [Priority=N] [Nice=N]",
            "  update NodeName=HOSTS State=DRAIN|RESUME|DOWN [Reason=TEXT]",
            "  update PartitionName=P State=UP|DOWN",
            "  hold ID[,ID...] | release ID[,ID...]");
    }

    @Override
    void bind(Args a) throws CliException {
        words = a.positionals();
        if (words.isEmpty()) throw CliException.usage("what to do? show, update, hold or release");
        json = a.flag("--json");
    }

    @Override
    int run() throws CliException {
        String verb = words.get(0).toLowerCase(Locale.ROOT);
        List<String> rest = words.subList(1, words.size());
        return switch (verb) {
            case "show" -> show(rest);
            case "update" -> update(rest);
            case "hold", "release", "uhold" -> hold(rest, !verb.equals("release"));
            default -> throw CliException.usage("unknown action '" + words.get(0) + "' (show, update, hold, release)");
        };
    }

    // ---- show ----------------------------------------------------------------------------------------------------

    private int show(List<String> args) throws CliException {
        if (args.isEmpty()) throw CliException.usage("show what? job, node or partition");
        String what = args.get(0).toLowerCase(Locale.ROOT);
        List<String> names = new ArrayList<>();
        for (String a : args.subList(1, args.size())) for (String n : a.split(",")) if (!n.isBlank()) names.add(n.strip());
        List<Message> items = new ArrayList<>();
        String kind;
        switch (what) {
            case "job", "jobs" -> {
                kind = "jobs";
                if (names.isEmpty()) {
                    items.addAll(client().call(c -> c.queryJobs(JobQuery.getDefaultInstance())).getJobsList());
                } else {
                    for (Jobs.Id id : Jobs.ids("", names)) {
                        List<Job> found = Jobs.resolve(client(), id, true);
                        if (found.isEmpty()) {
                            throw CliException.failed("no job " + (id.isTask() ? id.id() + "_" + id.task() : id.id()));
                        }
                        items.addAll(found);
                    }
                }
            }
            case "node", "nodes" -> {
                kind = "nodes";
                List<String> hosts = new ArrayList<>();
                for (String n : names) hosts.addAll(expand(n));
                items.addAll(client().call(c -> c.queryNodes(NodeQuery.newBuilder().addAllNames(hosts).build())).getNodesList());
            }
            case "partition", "partitions" -> {
                kind = "partitions";
                List<PartitionInfo> all = client().call(c -> c.queryPartitions(Empty.getDefaultInstance())).getPartitionsList();
                for (String n : names) {
                    if (all.stream().noneMatch(p -> p.getName().equals(n))) throw CliException.failed("no partition '" + n + "'");
                }
                for (PartitionInfo p : all) if (names.isEmpty() || names.contains(p.getName())) items.add(p);
            }
            default -> throw CliException.usage("cannot show '" + args.get(0) + "' (job, node or partition)");
        }
        if (json) {
            io.out().println(Json.of(Json.obj(kind, items)));
            return 0;
        }
        if (items.isEmpty()) io.out().println("No " + kind + " in the system");
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) io.out().println();
            io.out().print(keyValues(items.get(i)));
        }
        return 0;
    }

    /** Slurm-style {@code Key=Value} lines, four pairs per line. */
    static String keyValues(Message m) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
            String n = f.getName();
            Object v = m.getField(f);
            String key = camel(n);
            String value;
            if (n.equals("name")) key = m instanceof Node ? "NodeName" : m instanceof PartitionInfo ? "PartitionName" : "JobName";
            if (f.isRepeated()) {
                List<String> items = new ArrayList<>();
                for (Object o : (List<?>) v) items.add(String.valueOf(o));
                value = items.isEmpty() ? "(null)" : n.equals("nodes") ? HostList.compress(items) : String.join(",", items);
            } else if (n.endsWith("_time") || n.equals("expected_start")) {
                value = Times.show((Long) v);
            } else if (n.endsWith("_sec")) {
                key = camel(n.substring(0, n.length() - 4));
                value = n.equals("max_time_sec") || n.equals("time_limit_sec") ? Times.limit((Long) v) : Times.duration((Long) v);
            } else if (n.endsWith("_mb")) {
                key = camel(n.substring(0, n.length() - 3));
                value = Jobs.mem((Long) v);
            } else {
                value = String.valueOf(v);
                if (value.isEmpty()) value = "(null)";
            }
            if (value.indexOf(' ') >= 0) value = "\"" + value + "\"";
            kv.put(key, value);
        }
        StringBuilder sb = new StringBuilder();
        int k = 0;
        for (Map.Entry<String, String> e : kv.entrySet()) {
            sb.append(k == 0 ? "" : k % 4 == 0 ? "\n   " : " ").append(e.getKey()).append('=').append(e.getValue());
            k++;
        }
        return sb.append('\n').toString();
    }

    private static String camel(String snake) {
        StringBuilder sb = new StringBuilder();
        for (String p : snake.split("_")) {
            if (p.isEmpty()) continue;
            if (p.equals("qos")) sb.append("QOS");
            else sb.append(Character.toUpperCase(p.charAt(0))).append(p.substring(1));
        }
        return sb.toString();
    }

    private static List<String> expand(String hosts) throws CliException {
        try {
            return HostList.expand("node", hosts);
        } catch (RuntimeException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    // ---- update --------------------------------------------------------------------------------------------------

    private static Map<String, String> pairs(List<String> args) throws CliException {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) throw CliException.usage("expected Key=Value, got '" + a + "'");
            String k = a.substring(0, eq).toLowerCase(Locale.ROOT);
            if (kv.containsKey(k)) throw CliException.usage(a.substring(0, eq) + " given twice");
            kv.put(k, a.substring(eq + 1));
        }
        return kv;
    }

    private int update(List<String> args) throws CliException {
        Map<String, String> kv = pairs(args);
        if (kv.containsKey("jobid") || kv.containsKey("job")) return updateJob(kv);
        if (kv.containsKey("nodename") || kv.containsKey("node")) return updateNode(kv);
        if (kv.containsKey("partitionname") || kv.containsKey("partition")) return updatePartition(kv);
        throw CliException.usage("update needs JobId=, NodeName= or PartitionName=");
    }

    private int updateJob(Map<String, String> kv) throws CliException {
        String idText = kv.containsKey("jobid") ? kv.remove("jobid") : kv.remove("job");
        if (kv.isEmpty()) throw CliException.usage("nothing to update (TimeLimit=, Priority=, Nice=)");
        List<ModifyJobRequest.Builder> changes = new ArrayList<>();
        // the controller's field -> what the user wrote, so a refusal says "TimeLimit=abc", not "timeLimit:"
        Map<String, String> written = new java.util.HashMap<>();
        for (Map.Entry<String, String> e : kv.entrySet()) {
            ModifyJobRequest.Builder b = ModifyJobRequest.newBuilder();
            switch (e.getKey()) {
                case "timelimit" -> {
                    // empty would read as "not given" on the wire
                    if (e.getValue().isBlank()) throw CliException.usage("TimeLimit= needs a value, got an empty one");
                    b.setTimeLimit(e.getValue());
                    written.put("timeLimit", "TimeLimit=" + e.getValue());
                }
                case "priority" -> b.setPriority(number(e.getKey(), e.getValue()));
                case "nice" -> b.setNice((int) number(e.getKey(), e.getValue()));
                default -> throw CliException.usage("cannot update job field '" + e.getKey()
                        + "' (TimeLimit, Priority, Nice; hold/release with 'ccontrol hold|release ID')");
            }
            changes.add(b);
        }
        int failures = 0;
        for (Job j : jobs(idText)) {
            for (ModifyJobRequest.Builder b : changes) {
                try {
                    client().call(c -> c.modifyJob(b.setJobId(j.getJobId()).build()), written);
                } catch (CliException e) {
                    io.err().println(prog + ": error: job " + j.getDisplayId() + ": " + e.getMessage());
                    failures++;
                }
            }
        }
        return failures == 0 ? 0 : CliException.FAILED;
    }

    private List<Job> jobs(String idText) throws CliException {
        List<Job> out = new ArrayList<>();
        for (Jobs.Id id : Jobs.ids("JobId", List.of(idText))) {
            List<Job> found = Jobs.resolve(client(), id, false);
            if (found.isEmpty()) {
                throw CliException.failed("no live job " + (id.isTask() ? id.id() + "_" + id.task() : id.id()));
            }
            out.addAll(found);
        }
        if (out.isEmpty()) throw CliException.usage("no job id given");
        return out;
    }

    private static long number(String key, String v) throws CliException {
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw CliException.usage(key + ": '" + v + "' is not a number");
        }
    }

    private int updateNode(Map<String, String> kv) throws CliException {
        String hosts = kv.containsKey("nodename") ? kv.remove("nodename") : kv.remove("node");
        String state = kv.remove("state");
        String reason = kv.remove("reason");
        if (!kv.isEmpty()) throw CliException.usage("cannot update node field(s) " + kv.keySet() + " (State, Reason)");
        if (state == null) throw CliException.usage("update NodeName= needs State=DRAIN|RESUME|DOWN");
        NodeControl.Action action = switch (state.toLowerCase(Locale.ROOT)) {
            case "drain" -> NodeControl.Action.DRAIN;
            case "resume", "idle", "undrain" -> NodeControl.Action.RESUME;
            case "down" -> NodeControl.Action.DOWN;
            default -> throw CliException.usage("State=" + state + ": use DRAIN, RESUME or DOWN");
        };
        if (action != NodeControl.Action.RESUME && (reason == null || reason.isBlank())) {
            throw CliException.usage("State=" + state.toUpperCase(Locale.ROOT) + " needs Reason=TEXT");
        }
        for (String h : expand(hosts)) {
            NodeControl.Builder b = NodeControl.newBuilder().setNode(h).setAction(action);
            if (reason != null) b.setReason(reason);
            client().call(c -> c.controlNode(b.build()));
        }
        return 0;
    }

    private int updatePartition(Map<String, String> kv) throws CliException {
        String p = kv.containsKey("partitionname") ? kv.remove("partitionname") : kv.remove("partition");
        String state = kv.remove("state");
        if (!kv.isEmpty()) throw CliException.usage("cannot update partition field(s) " + kv.keySet() + " (State)");
        if (state == null) throw CliException.usage("update PartitionName= needs State=UP|DOWN");
        boolean up = switch (state.toLowerCase(Locale.ROOT)) {
            case "up" -> true;
            case "down", "inactive" -> false;
            default -> throw CliException.usage("State=" + state + ": use UP or DOWN");
        };
        client().call(c -> c.controlPartition(PartitionControl.newBuilder().setPartition(p).setUp(up).build()));
        return 0;
    }

    // ---- hold / release ------------------------------------------------------------------------------------------

    private int hold(List<String> args, boolean hold) throws CliException {
        if (args.isEmpty()) throw CliException.usage((hold ? "hold" : "release") + " needs job ids");
        int failures = 0;
        for (String a : args) {
            for (Job j : jobs(a)) {
                try {
                    client().call(c -> c.modifyJob(ModifyJobRequest.newBuilder().setJobId(j.getJobId()).setHold(hold).build()));
                } catch (CliException e) {
                    io.err().println(prog + ": error: job " + j.getDisplayId() + ": " + e.getMessage());
                    failures++;
                }
            }
        }
        return failures == 0 ? 0 : CliException.FAILED;
    }
}
