package org.scow.crane.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** The option parser of the commands (getopt_long conventions) and its agreement with every command's help. */
public class ArgsTest {
    private static final List<Args.Opt> OPTS = List.of(
            Args.value("-J, --job-name", "NAME", "a name"),
            Args.value("-N, --nodes", "N", "a count"),
            Args.value("-u, --user", "USER,...", "users"),
            Args.value("--mem", "SIZE", "memory"),
            Args.flag("-H, --hold", "hold"),
            Args.flag("-F, --full", "full"),
            Args.flag("--json", "json"));

    private static Args parse(boolean stop, String... argv) throws CliException {
        return Args.parse("t", OPTS, argv, stop);
    }

    private static String usageError(String... argv) {
        try {
            parse(false, argv);
        } catch (CliException e) {
            assertEquals(CliException.USAGE, e.exit);
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + List.of(argv));
    }

    @Test
    public void theGetoptFormsAllMeanTheSame() throws Exception {
        for (String[] argv : new String[][] {
            {"-J", "x", "-N", "2"}, {"-Jx", "-N2"}, {"--job-name", "x", "--nodes", "2"}, {"--job-name=x", "--nodes=2"},
            {"-N", "1", "--job-name=x", "-N2"}, // the last of a repeated option wins
        }) {
            Args a = parse(false, argv);
            assertEquals(List.of(argv).toString(), "x", a.string("--job-name"));
            assertEquals(List.of(argv).toString(), Integer.valueOf(2), a.integer("--nodes", null));
        }
        // clustered flags, and a value-taking option ending a cluster
        Args a = parse(false, "-HF", "-HJname");
        assertTrue(a.flag("--hold") && a.flag("--full"));
        assertEquals("name", a.string("--job-name"));
        assertFalse(a.flag("--json"));
        assertNull(a.string("--mem"));
        assertEquals(Integer.valueOf(7), a.integer("--nodes", 7));
        // a value may look like an option or be empty
        assertEquals("-5", parse(false, "--mem", "-5").string("--mem"));
        assertEquals("", parse(false, "--mem=").string("--mem"));
    }

    @Test
    public void listsSplitOnCommasAndAccumulate() throws Exception {
        assertEquals(List.of("a", "b", "c"), parse(false, "-u", "a,b", "--user=c").list("--user"));
        assertEquals(List.of("a"), parse(false, "-u", "a,,").list("--user"));
        assertNull(parse(false).list("--user"));
    }

    @Test
    public void positionalWordsMixWithOptionsUnlessTheCommandStopsAtTheFirst() throws Exception {
        Args a = parse(false, "show", "-H", "job", "--", "-J", "-");
        assertEquals(List.of("show", "job", "-J", "-"), a.positionals());
        assertTrue(a.flag("--hold"));
        // cbatch SCRIPT --x: from the script on, the words are the script's
        a = parse(true, "-H", "job.sh", "--json", "-N", "3");
        assertEquals(List.of("job.sh", "--json", "-N", "3"), a.positionals());
        assertTrue(a.flag("--hold"));
        assertFalse(a.flag("--json"));
    }

    @Test
    public void badInputIsAUsageErrorThatNamesTheOption() throws Exception {
        assertEquals("unknown option '--bogus'", usageError("--bogus"));
        assertEquals("unknown option '-z'", usageError("-Hz"));
        assertTrue(usageError("-N").contains("'--nodes' (-N) needs a value (N)"));
        assertTrue(usageError("--job-name").contains("'--job-name'"));
        assertEquals("option '--hold' takes no value", usageError("--hold=yes"));
        String msg = "";
        try {
            parse(false, "-N", "two").integer("--nodes", null);
        } catch (CliException e) {
            msg = e.getMessage();
        }
        assertEquals("option '-N': 'two' is not a number", msg); // as the user wrote it
        try {
            parse(false).string("--no-such");
            fail("an undeclared option is a bug in the command");
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage().contains("--no-such"));
        }
    }

    /** Every option a command's help shows is one its parser accepts, and the help shows every option. */
    @Test
    public void everyCommandAcceptsWhatItsHelpShows() throws Exception {
        for (String cmd : Crane.COMMANDS) {
            String help = run(cmd, "--help");
            assertTrue(cmd + " help:\n" + help, help.startsWith("Usage: " + cmd + " "));
            List<String[]> shown = new ArrayList<>(); // argv that must parse
            int longNames = 0;
            for (String line : help.split("\n")) {
                String names = line.strip().split("\\s{2,}")[0];
                if (!names.startsWith("-")) continue;
                int eq = names.indexOf('=');
                boolean takesValue = eq >= 0;
                for (String name : (takesValue ? names.substring(0, eq) : names).split(", ")) {
                    shown.add(takesValue ? new String[] {name, "1"} : new String[] {name});
                    if (name.startsWith("--")) longNames++;
                }
            }
            Base b = commandFor(cmd);
            List<Args.Opt> all = new ArrayList<>(b.options());
            all.addAll(Args.COMMON);
            assertEquals(cmd + ": options in the help", all.size(), longNames);
            for (String[] argv : shown) {
                try {
                    Args.parse(cmd, all, argv, false);
                } catch (CliException e) {
                    fail(cmd + " " + String.join(" ", argv) + ": " + e.getMessage());
                }
            }
        }
    }

    @Test
    public void usageErrorsSayHowToGetHelpAndVersionIsPrinted() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = Crane.run("cqueue", new String[] {"-m"}, io(out, err));
        assertEquals(CliException.USAGE, rc);
        assertEquals("cqueue: error: option '--max-lines' (-m) needs a value (N)\nTry 'cqueue --help' for more information.\n",
                err.toString(StandardCharsets.UTF_8));
        assertEquals(0, Crane.run("squeue", new String[] {"-v"}, io(out, err)));
        assertEquals(Crane.VERSION + "\n", out.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(CliException.USAGE, Crane.run("cinfo", new String[] {"extra"}, io(out, err)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unexpected argument 'extra'"));
    }

    @Test
    public void slurmSpellingsAreTranslatedOnlyBeforeTheEndOfOptions() {
        assertEquals(List.of("--noheader", "--self", "--", "-h"),
                List.of(Crane.translate("squeue", new String[] {"-h", "--me", "--", "-h"})));
        assertEquals(List.of("--parsable", "-j", "5"), List.of(Crane.translate("sacct", new String[] {"-X", "-P", "-j", "5"})));
    }

    private static Base commandFor(String cmd) {
        return switch (cmd) {
            case "cbatch" -> Cbatch.create();
            case "cqueue" -> Cqueue.create();
            case "cinfo" -> Cinfo.create();
            case "ccancel" -> Ccancel.create();
            case "ccontrol" -> Ccontrol.create();
            case "cacctmgr" -> Cacctmgr.create();
            case "cacct" -> Cacct.create();
            case "crun" -> Crun.create();
            case "calloc" -> Calloc.create();
            default -> throw new AssertionError(cmd);
        };
    }

    private static String run(String cmd, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Crane.run(cmd, args, io(out, err));
        assertEquals(err.toString(StandardCharsets.UTF_8), 0, rc);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Io io(ByteArrayOutputStream out, ByteArrayOutputStream err) {
        return new Io(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                InputStream.nullInputStream(), Map.of("CRANE_CONF", "/dev/null"), Path.of("/"));
    }
}
