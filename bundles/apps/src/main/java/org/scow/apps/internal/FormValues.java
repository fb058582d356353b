package org.scow.apps.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scow.api.scheduler.util.Names;
import org.scow.api.scheduler.Partition;
import org.scow.apps.internal.AppDefinition.Attribute;
import org.scow.apps.internal.AppDefinition.SchedulerField;

/**
 * Checks a launch form against an app's definition and what the user may use on the cluster. Each check names the
 * field it refuses ({@link FieldException}); values come out canonical (trimmed, numbers in plain notation), ready
 * to be quoted into the job script.
 */
public final class FormValues {
    private FormValues() {
    }

    /** A form field is refused. */
    public static final class FieldException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String field;

        public FieldException(String field, String problem) {
            super(field + ": " + problem);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /** The scheduler side of a launch, resolved. Time is in minutes. */
    public record Resources(String account, String partition, String qos, int gpus, int cores, long time) {
        /** As form values, for relaunching with the same settings. */
        public Map<String, String> asValues() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("account", account);
            m.put("partition", partition);
            if (qos != null) {
                m.put("qos", qos);
            }
            m.put("gpus", Integer.toString(gpus));
            m.put("cores", Integer.toString(cores));
            m.put("time", Long.toString(time));
            return m;
        }
    }

    /**
     * The canonical value of one attribute, or null when it is optional and empty.
     *
     * @throws IllegalArgumentException with a message that does not name the field
     */
    public static String attribute(Attribute a, String raw) {
        String v = raw == null ? null : raw.strip();
        if (v == null || v.isEmpty()) {
            if (a.required()) {
                throw new IllegalArgumentException("is required");
            }
            return null;
        }
        if (v.length() > a.maxLength()) {
            throw new IllegalArgumentException("must be at most " + a.maxLength() + " characters");
        }
        if (v.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("must be one line without control characters");
        }
        switch (a.type()) {
            case NUMBER -> {
                if (!v.matches("-?\\d{1,30}(\\.\\d{1,30})?")) {
                    throw new IllegalArgumentException("must be a number such as 12 or 1.5, was '" + v + "'");
                }
                BigDecimal n = new BigDecimal(v);
                if (a.min() != null && n.compareTo(a.min()) < 0 || a.max() != null && n.compareTo(a.max()) > 0) {
                    throw new IllegalArgumentException("must be between " + (a.min() == null ? "-inf" : a.min())
                            + " and " + (a.max() == null ? "inf" : a.max()) + ", was " + v);
                }
                return n.stripTrailingZeros().toPlainString();
            }
            case SELECT -> {
                if (a.options().stream().noneMatch(o -> o.value().equals(v))) {
                    throw new IllegalArgumentException("'" + v + "' is not one of "
                            + a.options().stream().map(AppDefinition.Option::value).toList());
                }
                return v;
            }
            case FILE -> {
                if (v.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("must be a path");
                }
                return v;
            }
            default -> {
                return v;
            }
        }
    }

    /**
     * The app's own attributes from the submitted values (keys that are neither attributes nor scheduler fields are
     * refused); defaults fill what is missing.
     */
    public static Map<String, String> attributes(AppDefinition app, Map<String, String> values) throws FieldException {
        for (String key : values.keySet()) {
            boolean scheduler = java.util.Arrays.stream(SchedulerField.Name.values()).anyMatch(n -> n.key().equals(key));
            if (!scheduler && app.attribute(key) == null) {
                throw new FieldException("values." + key, "the app '" + app.id() + "' has no such field");
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Attribute a : app.attributes()) {
            String raw = values.containsKey(a.name()) ? values.get(a.name()) : a.defaultValue();
            try {
                String v = attribute(a, raw);
                if (v != null) {
                    out.put(a.name(), v);
                }
            } catch (IllegalArgumentException e) {
                throw new FieldException("values." + a.name(), e.getMessage());
            }
        }
        return out;
    }

    /**
     * Resolves the scheduler fields: reserved values win (a different submitted value is refused), then the
     * submitted value, the default, or the only choice.
     *
     * @param accounts    the accounts the user may submit under
     * @param partitions  the partitions the chosen account may use; looked up once the account is known
     */
    public static Resources resources(AppDefinition app, Map<String, String> values, List<String> accounts,
                                      PartitionLookup partitions)
            throws FieldException, org.scow.api.scheduler.SchedulerException {
        String account = name(app, SchedulerField.Name.ACCOUNT, values, accounts);
        List<Partition> available = partitions.partitions(account);
        String partition = name(app, SchedulerField.Name.PARTITION, values,
                available.stream().filter(Partition::up).map(Partition::name).toList());
        Partition p = available.stream().filter(x -> x.name().equals(partition)).findFirst().orElseThrow();
        String qos = null;
        SchedulerField qf = app.scheduler().get(SchedulerField.Name.QOS);
        if (chosen(qf, values) != null || !qf.allowed().isEmpty()) {
            List<String> qosChoices = p.qos().isEmpty() ? new ArrayList<>(qf.allowed()) : p.qos();
            if (qosChoices.isEmpty() && chosen(qf, values) != null) {
                qosChoices = List.of(chosen(qf, values)); // the partition names none: any, the scheduler decides
            }
            qos = name(app, SchedulerField.Name.QOS, values, qosChoices);
        }
        int gpus = (int) number(app, SchedulerField.Name.GPUS, values, 0, p.gpus(), 0);
        int cores = (int) number(app, SchedulerField.Name.CORES, values, 1, Math.max(1, p.cores()), 1);
        long timeMax = p.maxTimeMinutes() == null ? Integer.MAX_VALUE : p.maxTimeMinutes();
        long time = number(app, SchedulerField.Name.TIME, values, 1, timeMax, Math.min(60, timeMax));
        return new Resources(account, partition, qos, gpus, cores, time);
    }

    /** The partitions an account may use, for {@link #resources}. */
    @FunctionalInterface
    public interface PartitionLookup {
        List<Partition> partitions(String account) throws org.scow.api.scheduler.SchedulerException;
    }

    /** The submitted value of a field, the reserved one, or the default; null if none. */
    static String chosen(SchedulerField f, Map<String, String> values) throws FieldException {
        String v = values.get(f.name().key());
        v = v == null || v.isBlank() ? null : v.strip();
        if (f.fixed() != null) {
            if (v != null && !v.equals(f.fixed())) {
                throw new FieldException(f.name().key(), "is fixed to '" + f.fixed() + "' for this app");
            }
            return f.fixed();
        }
        if (f.hidden() && v != null && !v.equals(f.defaultValue())) {
            throw new FieldException(f.name().key(), "cannot be chosen for this app");
        }
        return v != null ? v : f.defaultValue();
    }

    private static String name(AppDefinition app, SchedulerField.Name field, Map<String, String> values,
                               List<String> usable) throws FieldException {
        SchedulerField f = app.scheduler().get(field);
        List<String> choices = f.allowed().isEmpty() ? usable
                : usable.stream().filter(f.allowed()::contains).toList();
        String v = chosen(f, values);
        if (v == null) {
            if (choices.size() == 1 || field == SchedulerField.Name.PARTITION && !choices.isEmpty()) {
                return choices.get(0);
            }
            if (choices.isEmpty()) {
                throw new FieldException(field.key(), "you may use none for this app" + (field
                        == SchedulerField.Name.ACCOUNT ? " (you belong to no account on this cluster)" : ""));
            }
            throw new FieldException(field.key(), "is required; one of " + choices);
        }
        if (!Names.isValid(v)) {
            throw new FieldException(field.key(), "'" + v + "' " + Names.RULE);
        }
        if (!choices.contains(v)) {
            throw new FieldException(field.key(), "'" + v + "' is not one you may use; one of " + choices);
        }
        return v;
    }

    private static long number(AppDefinition app, SchedulerField.Name field, Map<String, String> values, long min,
                               long max, long fallback) throws FieldException {
        SchedulerField f = app.scheduler().get(field);
        long lo = f.min() == null ? min : Math.max(min, f.min());
        long hi = f.max() == null ? max : Math.min(max, f.max());
        String v = chosen(f, values);
        long n;
        if (v == null) {
            n = Math.max(lo, Math.min(hi, fallback));
        } else {
            try {
                n = Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new FieldException(field.key(), "must be a whole number, was '" + v + "'");
            }
        }
        if (n < lo || n > hi) {
            throw new FieldException(field.key(), "must be between " + lo + " and " + hi + ", was " + n);
        }
        return n;
    }
}
