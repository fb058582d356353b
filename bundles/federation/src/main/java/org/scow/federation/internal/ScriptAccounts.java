package org.scow.federation.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.scow.api.scheduler.SchedulerException;

/**
 * The account directives of a batch script ({@code #SBATCH} or {@code #CBATCH} lines: {@code --account=X},
 * {@code --account X}, {@code -A X}, {@code -AX}). A peer's script names the peer's accounts; before it reaches the
 * local scheduler each one is rewritten to the local account its grant gives, so a peer can never run under an
 * account of this center by naming it in a directive. Identity options ({@code --uid}, {@code --gid}) are refused.
 */
final class ScriptAccounts {
    private static final Pattern DIRECTIVE = Pattern.compile("^#(SBATCH|CBATCH)\\b.*");

    private ScriptAccounts() {
    }

    /** The rewritten script and the peer accounts it named, in order. */
    record Result(String script, Set<String> accounts) {
    }

    /**
     * Rewrites every account directive with {@code mapper} (peer account to local account; empty: not granted, which
     * fails with ACCOUNT_NOT_FOUND).
     */
    static Result rewrite(String script, Function<String, Optional<String>> mapper) throws SchedulerException {
        Set<String> accounts = new LinkedHashSet<>();
        List<String> out = new ArrayList<>();
        for (String line : script.split("\n", -1)) {
            if (!DIRECTIVE.matcher(line.stripLeading()).matches()) {
                out.add(line);
                continue;
            }
            String[] tokens = line.strip().split("\\s+");
            StringBuilder rebuilt = new StringBuilder(tokens[0]);
            for (int i = 1; i < tokens.length; i++) {
                String t = tokens[i];
                String account = null;
                String form = null;
                if (t.startsWith("--uid") || t.startsWith("--gid")) {
                    throw SchedulerException.invalid("script", "the directive " + t.split("=")[0]
                            + " is not allowed in a federated job");
                } else if (t.startsWith("--account=")) {
                    account = t.substring("--account=".length());
                    form = "--account=";
                } else if ((t.equals("--account") || t.equals("-A")) && i + 1 < tokens.length) {
                    account = tokens[++i];
                    form = t + " ";
                } else if (t.startsWith("-A") && t.length() > 2) {
                    account = t.substring(2);
                    form = "-A";
                } else if (t.startsWith("#")) {
                    // a comment after the options: the rest of the line is not parsed by the scheduler either
                    for (int j = i; j < tokens.length; j++) {
                        rebuilt.append(' ').append(tokens[j]);
                    }
                    break;
                }
                if (account == null) {
                    rebuilt.append(' ').append(t);
                    continue;
                }
                String peerAccount = account;
                accounts.add(peerAccount);
                String local = mapper.apply(peerAccount)
                        .orElseThrow(() -> SchedulerException.accountNotFound(peerAccount));
                rebuilt.append(' ').append(form).append(local);
            }
            out.add(rebuilt.toString());
        }
        return new Result(String.join("\n", out), accounts);
    }
}
