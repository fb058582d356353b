package org.scow.crane.craned;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The node daemon's entry point.
 *
 * <pre>
 *   craned --config craned.conf [--node NAME] [--port N] [--controller HOST] [--spool DIR] [--credential FILE] [--pid FILE]
 * </pre>
 * Command-line options win over the file. Runs until SIGTERM/SIGINT; stopping does not kill jobs.
 */
public final class CranedMain {
    private CranedMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) usage();
            opt.put(args[i].substring(2), args[++i]);
        }
        CranedConfig cfg = opt.containsKey("config") ? CranedConfig.load(Path.of(opt.get("config"))) : new CranedConfig();
        for (Map.Entry<String, String> e : opt.entrySet()) {
            switch (e.getKey()) {
                case "config", "pid" -> { }
                case "node" -> cfg.set("NodeName", e.getValue());
                case "port" -> cfg.set("ControllerPort", e.getValue());
                case "controller" -> cfg.set("ControllerAddress", e.getValue());
                case "spool" -> cfg.set("SpoolDir", e.getValue());
                case "credential" -> cfg.set("CredentialFile", e.getValue());
                default -> usage();
            }
        }
        NodeDaemon d = NodeDaemon.start(cfg);
        if (opt.containsKey("pid")) Files.writeString(Path.of(opt.get("pid")), ProcessHandle.current().pid() + "\n");
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            d.close();
            stop.countDown();
        }));
        stop.await();
    }

    private static void usage() {
        System.err.println("usage: craned --config FILE [--node NAME] [--port N] [--controller HOST] [--spool DIR]"
                + " [--credential FILE] [--pid FILE]");
        System.exit(2);
    }
}
