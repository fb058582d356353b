package org.scow.rest.support;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every error the API returns: a stable {@code code}, a {@code message} for people that says what to fix, and
 * machine-readable {@code details} such as the offending {@code field}.
 *
 * <p>Messages often quote what the caller sent. Whatever built the message, the body never echoes a long value: every
 * quoted or unbroken run of more than {@value #MAX_ECHO} characters is cut, and so is the whole message beyond
 * {@value #MAX_MESSAGE}; detail values are cut the same way. An attacker cannot make an error answer large, and a log
 * reader is not flooded.
 */
public record ErrorBody(String code, String message, Map<String, Object> details) {
    /** Longest quoted or unbroken piece of a message kept whole. */
    public static final int MAX_ECHO = 80;
    /** Longest message. */
    public static final int MAX_MESSAGE = 400;

    private static final Pattern QUOTED = Pattern.compile("'[^']{" + (MAX_ECHO + 1) + ",}'|\"[^\"]{"
            + (MAX_ECHO + 1) + ",}\"|\\S{" + (MAX_ECHO + 1) + ",}");

    public ErrorBody {
        message = clip(message);
        if (details == null) {
            details = Map.of();
        } else {
            Map<String, Object> d = new LinkedHashMap<>();
            details.forEach((k, v) -> {
                if (k != null && v != null) {
                    d.put(clip(k), v instanceof String s ? clip(s) : v);
                }
            });
            details = Map.copyOf(d);
        }
    }

    /** The text with long echoed pieces shortened to their start and a count of what was left out. */
    public static String clip(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = QUOTED.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String piece = m.group();
            char q = piece.charAt(0);
            boolean quoted = (q == '\'' || q == '"') && piece.charAt(piece.length() - 1) == q;
            String inner = quoted ? piece.substring(1, piece.length() - 1) : piece;
            String cut = inner.substring(0, 40) + "…(" + inner.length() + " characters)";
            m.appendReplacement(out, Matcher.quoteReplacement(quoted ? q + cut + q : cut));
        }
        m.appendTail(out);
        String s = out.toString().replaceAll("\\p{Cntrl}", "?");
        return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "…";
    }
}
