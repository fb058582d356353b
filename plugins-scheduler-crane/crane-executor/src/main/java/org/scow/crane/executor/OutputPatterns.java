package org.scow.crane.executor;

import java.nio.file.Path;

/**
 * Expands stdout/stderr file patterns: {@code %j} job id, {@code %x} job name, {@code %u} user, {@code %N} short
 * name of the node running the script, {@code %A} array job id (the job id outside arrays), {@code %a} array task
 * id (0 outside arrays), {@code %%} a percent sign. A number between {@code %} and the letter zero-pads, as in
 * {@code %5j}. Unknown sequences are kept as written. Relative results are relative to the working directory.
 */
public final class OutputPatterns {
    public static final String DEFAULT = "Crane-%j.out";

    private OutputPatterns() {
    }

    public static Path stdout(JobSpec s) {
        return resolve(s, s.stdout() == null || s.stdout().isBlank() ? DEFAULT : s.stdout());
    }

    /** The error file; the output file when no error pattern was given. */
    public static Path stderr(JobSpec s) {
        return s.stderr() == null || s.stderr().isBlank() ? stdout(s) : resolve(s, s.stderr());
    }

    static Path resolve(JobSpec s, String pattern) {
        return Path.of(s.workDir()).resolve(expand(s, pattern)).normalize();
    }

    public static String expand(JobSpec s, String pattern) {
        StringBuilder b = new StringBuilder(pattern.length() + 16);
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '%' || i + 1 >= pattern.length()) {
                b.append(c);
                continue;
            }
            int j = i + 1;
            while (j < pattern.length() && Character.isDigit(pattern.charAt(j)) && j - i <= 2) j++;
            int width = j > i + 1 ? Integer.parseInt(pattern.substring(i + 1, j)) : 0;
            String v = j < pattern.length() ? value(s, pattern.charAt(j)) : null;
            if (v == null) {
                b.append(c); // not a known sequence: keep it literally
                continue;
            }
            for (int pad = v.length(); pad < width; pad++) b.append('0');
            b.append(v);
            i = j;
        }
        return b.toString();
    }

    private static String value(JobSpec s, char k) {
        return switch (k) {
            case 'j' -> Long.toString(s.jobId());
            case 'x' -> s.name();
            case 'u' -> s.user();
            case 'N' -> shortHost(s.batchNode());
            case 'A' -> Long.toString(s.arrayJobId() != 0 ? s.arrayJobId() : s.jobId());
            case 'a' -> Integer.toString(s.arrayJobId() != 0 ? s.arrayTaskId() : 0);
            case '%' -> "%";
            default -> null;
        };
    }

    static String shortHost(String host) {
        int dot = host.indexOf('.');
        return dot > 0 ? host.substring(0, dot) : host;
    }
}
