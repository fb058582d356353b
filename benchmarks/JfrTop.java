import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * JfrTop FILE.jfr [PREFIX]: where a recording's CPU samples are, by the method on top of the stack and by the
 * innermost method whose class starts with PREFIX (default org.scow). Run as a source file: java JfrTop.java FILE.
 * Reads the events through the JDK's own API (the jfr tool's printer fails on some recordings of JDK 17 daemons).
 */
public class JfrTop {
    public static void main(String[] args) throws Exception {
        String prefix = args.length > 1 ? args[1] : "org.scow";
        Map<String, Integer> top = new HashMap<>();
        Map<String, Integer> own = new HashMap<>();
        int n = 0;
        try (RecordingFile f = new RecordingFile(Path.of(args[0]))) {
            while (f.hasMoreEvents()) {
                RecordedEvent e = f.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) continue;
                List<RecordedFrame> frames = e.getStackTrace().getFrames();
                if (frames.isEmpty()) continue;
                n++;
                top.merge(name(frames.get(0)), 1, Integer::sum);
                String mine = "(no " + prefix + " frame)";
                for (RecordedFrame fr : frames) {
                    if (name(fr).startsWith(prefix)) {
                        mine = name(fr);
                        break;
                    }
                }
                own.merge(mine, 1, Integer::sum);
            }
        }
        System.out.println(n + " samples; by the method on top of the stack:");
        print(top, n);
        System.out.println("by the innermost " + prefix + " method on the stack:");
        print(own, n);
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static void print(Map<String, Integer> m, int n) {
        m.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())).limit(10)
                .forEach(e -> System.out.printf("  %5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, n), e.getKey()));
    }
}
