package org.scow.crane.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * "System accounts never run jobs": which Unix users may own a job. Shared by the controller (refuses the submission)
 * and the node executor (refuses the launch, in case a job got past an older or misconfigured controller).
 *
 * <p>A user is refused when
 * <ol>
 * <li>its name is in the deny list ({@code DeniedJobUsers}, default {@code root}), or</li>
 * <li>its uid is 0, or</li>
 * <li>its uid is below {@code MinJobUid} (default 1000) and its name is not in {@code AllowedSystemUsers}.</li>
 * </ol>
 * {@code AllowRootJobs=true} (single-user test machines only) lifts rule 2 and removes {@code root} from the deny
 * list; nothing else lets uid 0 run a job, so {@code MinJobUid=0} or listing root in {@code AllowedSystemUsers} is not
 * enough on its own. A user the password database does not know passes rules 2 and 3 (as before this policy: the
 * node then fails the launch with "no such user").
 */
public final class JobUserPolicy {
    public static final int DEFAULT_MIN_UID = 1000;
    public static final Set<String> DEFAULT_DENIED = Set.of("root", "nobody");
    /** Accepts everyone: for in-process users of the controller that opt out explicitly (benchmarks). */
    public static final JobUserPolicy NONE = new JobUserPolicy(0, Set.of(), Set.of(), true, n -> OptionalInt.empty());

    private final int minUid;
    private final Set<String> denied;
    private final Set<String> allowedSystem;
    private final boolean allowRoot;
    private final Function<String, OptionalInt> uids;

    public JobUserPolicy(int minUid, Collection<String> denied, Collection<String> allowedSystem, boolean allowRoot,
                         Function<String, OptionalInt> uids) {
        if (minUid < 0) throw new IllegalArgumentException("MinJobUid must not be negative");
        this.minUid = minUid;
        Set<String> d = new LinkedHashSet<>(denied);
        if (allowRoot) d.remove("root");
        this.denied = Set.copyOf(d);
        this.allowedSystem = Set.copyOf(allowedSystem);
        this.allowRoot = allowRoot;
        this.uids = uids;
    }

    /** The policy with the uids of this machine's password database (cached, see {@link PasswdUids}). */
    public static JobUserPolicy of(int minUid, Collection<String> denied, Collection<String> allowedSystem, boolean allowRoot) {
        return new JobUserPolicy(minUid, denied, allowedSystem, allowRoot, PasswdUids.SHARED::uid);
    }

    /** Resolves {@code user} now (outside any lock), so a later {@link #refusal(String)} is answered from the cache. */
    public void warm(String user) {
        if (user != null) uids.apply(user);
    }

    /** Why {@code user} may not own a job, or null when it may; the uid comes from the password database. */
    public String refusal(String user) {
        return refusal(user, uids.apply(user));
    }

    /** As {@link #refusal(String)} with a uid the caller already knows (empty: not in the password database). */
    public String refusal(String user, OptionalInt uid) {
        if (user == null) return null;
        String rule = ": jobs may not run as system accounts";
        String advice = "; submit as an ordinary user";
        if (denied.contains(user)) {
            return "user '" + user + "' is a system account" + (uid.isPresent() ? " (uid " + uid.getAsInt() + ")" : "")
                    + rule + " (DeniedJobUsers lists it)" + advice;
        }
        if (uid.isEmpty()) return null;
        int u = uid.getAsInt();
        if (u == 0 && !allowRoot) return "user '" + user + "' is a system account (uid 0)" + rule + advice;
        if (u != 0 && u < minUid && !allowedSystem.contains(user)) {
            return "user '" + user + "' is a system account (uid " + u + ", below MinJobUid=" + minUid + ")" + rule + advice
                    + " (an operator may list it in AllowedSystemUsers)";
        }
        return null;
    }

    /**
     * Uids from the password database: {@code getent passwd NAME} (so NSS sources such as LDAP count), without a
     * shell; {@code /etc/passwd} if getent cannot be run. Answers are cached for a minute, unknown names too, so
     * a busy submitter costs one lookup a minute and a uid change is seen within a minute.
     */
    public static final class PasswdUids {
        static final PasswdUids SHARED = new PasswdUids(TimeUnit.MINUTES.toNanos(1));
        private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}");

        private record Entry(OptionalInt uid, long expires) {
        }

        private final long ttlNanos;
        private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

        public PasswdUids(long ttlNanos) {
            this.ttlNanos = ttlNanos;
        }

        public OptionalInt uid(String name) {
            // a name getent could take for an option, or that no account can have, has no uid
            if (name == null || !NAME.matcher(name).matches()) return OptionalInt.empty();
            long now = System.nanoTime();
            Entry e = cache.get(name);
            if (e != null && e.expires - now > 0) return e.uid;
            OptionalInt uid = lookup(name);
            if (cache.size() > 100_000) cache.clear();
            cache.put(name, new Entry(uid, now + ttlNanos));
            return uid;
        }

        private static OptionalInt lookup(String name) {
            try {
                Process p = new ProcessBuilder("getent", "passwd", name).redirectErrorStream(true).start();
                String out;
                try (var in = p.getInputStream()) {
                    out = new String(in.readNBytes(4096), StandardCharsets.UTF_8).strip();
                }
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return fromEtcPasswd(name);
                }
                // exit 2: no such key; anything else is a broken getent, so ask the file
                if (p.exitValue() == 2) return OptionalInt.empty();
                if (p.exitValue() != 0) return fromEtcPasswd(name);
                return parse(name, out);
            } catch (IOException e) {
                return fromEtcPasswd(name);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return fromEtcPasswd(name);
            }
        }

        private static OptionalInt fromEtcPasswd(String name) {
            try {
                for (String line : Files.readAllLines(Path.of("/etc/passwd"), StandardCharsets.UTF_8)) {
                    OptionalInt u = parse(name, line);
                    if (u.isPresent()) return u;
                }
            } catch (IOException | RuntimeException ignored) {
                // no password file either: the user is unknown here
            }
            return OptionalInt.empty();
        }

        static OptionalInt parse(String name, String line) {
            String[] f = line.split(":", -1);
            if (f.length < 3 || !f[0].equals(name)) return OptionalInt.empty();
            try {
                return OptionalInt.of(Integer.parseInt(f[2].trim()));
            } catch (NumberFormatException e) {
                return OptionalInt.empty();
            }
        }
    }
}
