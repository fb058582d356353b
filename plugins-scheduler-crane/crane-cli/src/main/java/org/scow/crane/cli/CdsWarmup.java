package org.scow.crane.cli;

import com.google.protobuf.MessageLite;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.scow.crane.protocol.v1.AccountInfo;
import org.scow.crane.protocol.v1.AccountList;
import org.scow.crane.protocol.v1.Identity;
import org.scow.crane.protocol.v1.Job;
import org.scow.crane.protocol.v1.JobList;
import org.scow.crane.protocol.v1.Node;
import org.scow.crane.protocol.v1.NodeList;
import org.scow.crane.protocol.v1.PartitionInfo;
import org.scow.crane.protocol.v1.PartitionList;
import org.scow.crane.protocol.v1.Submitted;

/**
 * The launcher's training run for the class-data-sharing archive ({@code crane --cds-warmup}, run once per jar
 * under {@code -XX:ArchiveClassesAtExit}). It runs the commands the way users do against a stand-in for cranectld
 * on a loopback port that answers every call with a plausible reply (and {@code CancelJob} with an error), so the
 * archive holds the classes of parsing, the call path, reply decoding and each kind of output. Classes it misses
 * still load from the jar, only slower.
 */
final class CdsWarmup {
    /** The hidden argument of the launcher. */
    static final String ARGUMENT = "--cds-warmup";

    private CdsWarmup() {
    }

    static void run() {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        Path cred = null;
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> serve(server), "warmup-server");
            t.setDaemon(true);
            t.start();
            cred = Files.createTempFile("crane-warmup", ".cred");
            Files.writeString(cred, "crane1:user:nobody:1:x\n");
            Map<String, String> env = new HashMap<>();
            env.put("CRANE_CONTROLLER", "127.0.0.1:" + server.getLocalPort());
            env.put("CRANE_CREDENTIAL", cred.toString());
            env.put("CRANE_CONF", "/dev/null");
            env.put("HOME", "/nonexistent");
            env.put("USER", "nobody");
            // the process environment's classes, which every real run loads (Io.system)
            int vars = 0;
            for (Map.Entry<String, String> e : Io.system().env().entrySet()) vars += e.getKey().length() > 0 ? 1 : 0;
            env.put("CRANE_WARMUP_VARS", Integer.toString(vars));
            Io io = new Io(sink, sink, InputStream.nullInputStream(), env, Path.of("/"));
            for (String c : Crane.COMMANDS) {
                Crane.run(c, new String[] {"--help"}, io);
                Crane.run(c, new String[] {"--no-such-option"}, io);
            }
            String[][] runs = {
                {"cqueue"}, {"cqueue", "-o", "%.10j %t %S %b", "-u", "nobody"}, {"cqueue", "--json"}, {"squeue", "-h"},
                {"cinfo"}, {"cinfo", "-N"}, {"sinfo", "-R"}, {"cacct"}, {"cacct", "-E", "now", "--parsable"},
                {"cbatch", "--wrap", "true", "-N", "1", "-t", "10"}, {"ccancel", "1"},
                {"ccontrol", "show", "job", "1"}, {"cacctmgr", "show", "account"},
            };
            for (String[] r : runs) {
                String[] rest = new String[r.length - 1];
                System.arraycopy(r, 1, rest, 0, rest.length);
                Crane.run(r[0], rest, io);
            }
        } catch (IOException | RuntimeException e) {
            // a partial archive is still an archive
        } finally {
            try {
                if (cred != null) Files.deleteIfExists(cred);
            } catch (IOException e) {
                // a temporary file
            }
        }
    }

    /** The stand-in: one connection at a time, as the commands open them. */
    private static void serve(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                answer(s);
            } catch (IOException | Hpack.HpackException e) {
                // the next connection
            }
        }
    }

    /** Answers the calls of one connection (also a stand-in server for tests). */
    static void answer(Socket s) throws IOException, Hpack.HpackException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        OutputStream out = s.getOutputStream();
        in.readFully(new byte[24]); // the client preface
        frame(out, 4, 0, 0, new byte[0]);
        Hpack.Decoder decoder = new Hpack.Decoder(4096, 1 << 20);
        Map<Integer, String> paths = new HashMap<>();
        while (true) {
            int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            int id = in.readInt() & 0x7fffffff;
            byte[] p = new byte[length];
            in.readFully(p);
            if (type == 4 && (flags & 1) == 0) frame(out, 4, 1, 0, new byte[0]);
            if (type == 1) {
                for (Hpack.Field f : decoder.decode(p)) if (f.name().equals(":path")) paths.put(id, f.value());
            }
            if (type == 0 && (flags & 1) != 0) {
                String path = paths.remove(id);
                ByteArrayOutputStream h = new ByteArrayOutputStream();
                if (path.endsWith("/CancelJob")) {
                    Hpack.encode(h, ":status", "200");
                    Hpack.encode(h, "content-type", "application/grpc");
                    Hpack.encode(h, "grpc-status", "5");
                    Hpack.encode(h, "grpc-message", "no%20job%201");
                    Hpack.encode(h, "crane-code", "JOB_NOT_FOUND");
                    frame(out, 1, 0x5, id, h.toByteArray());
                    continue;
                }
                Hpack.encode(h, ":status", "200");
                Hpack.encode(h, "content-type", "application/grpc");
                frame(out, 1, 0x4, id, h.toByteArray());
                byte[] r = reply(path.substring(path.lastIndexOf('/') + 1));
                byte[] d = new byte[5 + r.length];
                d[1] = (byte) (r.length >>> 24);
                d[2] = (byte) (r.length >>> 16);
                d[3] = (byte) (r.length >>> 8);
                d[4] = (byte) r.length;
                System.arraycopy(r, 0, d, 5, r.length);
                frame(out, 0, 0, id, d);
                h.reset();
                Hpack.encode(h, "grpc-status", "0");
                frame(out, 1, 0x5, id, h.toByteArray());
            }
        }
    }

    private static void frame(OutputStream out, int type, int flags, int id, byte[] p) throws IOException {
        byte[] f = new byte[9 + p.length];
        f[0] = (byte) (p.length >>> 16);
        f[1] = (byte) (p.length >>> 8);
        f[2] = (byte) p.length;
        f[3] = (byte) type;
        f[4] = (byte) flags;
        f[5] = (byte) (id >>> 24);
        f[6] = (byte) (id >>> 16);
        f[7] = (byte) (id >>> 8);
        f[8] = (byte) id;
        System.arraycopy(p, 0, f, 9, p.length);
        out.write(f);
        out.flush();
    }

    /** A plausible reply to a method; empty bytes are the default instance of any reply message. */
    private static byte[] reply(String method) {
        Job job = Job.newBuilder().setJobId(1).setDisplayId("1").setName("warmup").setUser("nobody").setAccount("a")
                .setPartition("p").setState("RUNNING").setNodes(1).setCpus(1).setTimeLimitSec(60).setSubmitTime(1)
                .setStartTime(1).setNodeList("n1").build();
        MessageLite m = switch (method) {
            case "QueryJobs" -> JobList.newBuilder().addJobs(job).setTotal(1).build();
            case "GetJob" -> job;
            case "QueryNodes" -> NodeList.newBuilder().addNodes(Node.newBuilder().setName("n1").setState("MIX").setCpus(2)
                    .setCpusAlloc(1).setMemMb(1024).addPartitions("p")).build();
            case "QueryPartitions" -> PartitionList.newBuilder().addPartitions(PartitionInfo.newBuilder().setName("p")
                    .addNodes("n1").setCpus(2).setUp(true).setIsDefault(true)).build();
            case "WhoAmI" -> Identity.newBuilder().setPrincipal("nobody").setActor("nobody").build();
            case "SubmitJob" -> Submitted.newBuilder().setJobId(1).setTasks(1).build();
            case "QueryAccounts" -> AccountList.newBuilder().addAccounts(AccountInfo.newBuilder().setName("a")).build();
            default -> null;
        };
        return m == null ? new byte[0] : m.toByteArray();
    }
}
