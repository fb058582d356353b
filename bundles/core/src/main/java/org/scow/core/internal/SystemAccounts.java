package org.scow.core.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.scow.api.scheduler.util.Names;
import org.scow.api.security.SystemAccountPolicy;

/**
 * The platform's {@link SystemAccountPolicy}: a deny list plus the uid the host's user database (NSS, through
 * {@code getent passwd}, so LDAP and SSSD users count too) gives a name. Lookups are cached for a minute.
 */
@Component(service = SystemAccountPolicy.class, configurationPid = "org.scow.security")
@Designate(ocd = SystemAccounts.Config.class)
public class SystemAccounts implements SystemAccountPolicy {
    /** The usual service accounts of Debian, and of the software a center runs, whatever their uid. */
    static final String DEFAULT_DENY = "root,daemon,bin,sys,sync,games,man,lp,mail,news,uucp,proxy,www-data,backup,"
            + "list,irc,gnats,nobody,nogroup,sshd,systemd-network,systemd-resolve,messagebus,postgres,mysql,slurm,"
            + "munge,openldap,karaf,admin-system";

    @ObjectClassDefinition(name = "SCOW system accounts",
            description = "Identities that may never be platform users or run jobs")
    public @interface Config {
        @AttributeDefinition(description = "Lowest uid that may be a platform user and run jobs")
        int minUid() default 1000;

        @AttributeDefinition(description = "Names that are always system accounts, comma separated")
        String denyUsers() default DEFAULT_DENY;

        @AttributeDefinition(description = "Names below minUid allowed anyway (an operator's explicit choice; "
                + "root is never allowed), comma separated")
        String allowUsers() default "";
    }

    /** Looks up a uid by name; empty when the host does not know the name. */
    interface UidLookup {
        OptionalInt uid(String user);
    }

    private record Cached(OptionalInt uid, long at) {
    }

    private volatile int minUid;
    private volatile Set<String> deny;
    private volatile Set<String> allow;
    private final UidLookup lookup;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public SystemAccounts() {
        this.lookup = SystemAccounts::getent;
        configure(1000, DEFAULT_DENY, "");
    }

    SystemAccounts(int minUid, String deny, String allow, UidLookup lookup) {
        this.lookup = lookup;
        configure(minUid, deny, allow);
    }

    @Activate
    @Modified
    void activate(Config config) {
        configure(config.minUid(), config.denyUsers(), config.allowUsers());
        cache.clear();
    }

    private void configure(int min, String denyList, String allowList) {
        this.minUid = Math.max(1, min);
        this.deny = split(denyList);
        this.allow = split(allowList);
    }

    private static Set<String> split(String list) {
        return list == null ? Set.of() : Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public int minUid() {
        return minUid;
    }

    @Override
    public Optional<String> refusal(String user) {
        if (user == null || !Names.isValid(user)) {
            return Optional.empty(); // not a name at all: the caller's name check says so
        }
        if (user.equals("root")) {
            return Optional.of("user 'root' is a system account: jobs never run as root");
        }
        if (deny.contains(user)) {
            return Optional.of("user '" + user + "' is a system account (deny list of org.scow.security): it may "
                    + "not be a platform user or run jobs");
        }
        OptionalInt uid = uid(user);
        if (uid.isPresent() && uid.getAsInt() == 0) {
            return Optional.of("user '" + user + "' has uid 0: jobs never run as root");
        }
        if (uid.isPresent() && uid.getAsInt() < minUid && !allow.contains(user)) {
            return Optional.of("user '" + user + "' is a system account (uid " + uid.getAsInt() + ", below "
                    + minUid + "): it may not be a platform user or run jobs");
        }
        return Optional.empty();
    }

    private OptionalInt uid(String user) {
        long now = System.nanoTime();
        Cached c = cache.get(user);
        if (c == null || now - c.at() > TimeUnit.MINUTES.toNanos(1)) {
            c = new Cached(lookup.uid(user), now);
            if (cache.size() > 10_000) {
                cache.clear();
            }
            cache.put(user, c);
        }
        return c.uid();
    }

    /** {@code getent passwd NAME} (the name is validated; no shell); /etc/passwd where getent is missing. */
    static OptionalInt getent(String user) {
        try {
            Process p = new ProcessBuilder("getent", "passwd", user).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readNBytes(64 * 1024);
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return OptionalInt.empty();
            }
            return p.exitValue() == 0 ? parse(user, List.of(new String(out, StandardCharsets.UTF_8).split("\n")))
                    : OptionalInt.empty();
        } catch (IOException e) {
            try {
                return parse(user, Files.readAllLines(Path.of("/etc/passwd")));
            } catch (IOException e2) {
                return OptionalInt.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
    }

    static OptionalInt parse(String user, List<String> passwdLines) {
        for (String line : passwdLines) {
            String[] f = line.split(":", -1);
            if (f.length >= 3 && f[0].equals(user)) {
                try {
                    return OptionalInt.of(Integer.parseInt(f[2].trim()));
                } catch (NumberFormatException e) {
                    return OptionalInt.empty();
                }
            }
        }
        return OptionalInt.empty();
    }
}
