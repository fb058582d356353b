package org.scow.apps.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.scow.api.scheduler.util.Names;
import org.scow.apps.internal.AppDefinition.Attribute;
import org.scow.apps.internal.AppDefinition.AttributeType;
import org.scow.apps.internal.AppDefinition.Connect;
import org.scow.apps.internal.AppDefinition.Option;
import org.scow.apps.internal.AppDefinition.SchedulerField;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads one app definition ({@code <id>.yaml}) strictly: unknown keys, wrong types, missing fields and placeholders
 * that name nothing are errors that name the file and the field. YAML is parsed with SnakeYAML's safe constructor
 * (plain maps, lists and scalars only), duplicate keys refused.
 */
public final class DefinitionReader {
    /** App ids: what a file name may be; also safe in a job name. */
    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    /** Attribute names: safe as template placeholders. */
    static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    /** {@code {{ name }}} in scripts. */
    static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}\\s]*)\\s*}}");
    /** Placeholders every script may use besides the attributes. */
    static final Set<String> BUILT_INS = Set.of("sessionId", "sessionDir", "proxyBasePath", "user", "cluster",
            "account", "partition", "qos", "gpus", "cores", "time");
    static final int MAX_SCRIPT = 64 * 1024;

    private DefinitionReader() {
    }

    /** Parses {@code text} of the file {@code fileName} ({@code <id>.yaml}). */
    public static AppDefinition read(String fileName, String text) throws DefinitionException {
        if (!fileName.endsWith(".yaml")) {
            throw new DefinitionException(fileName, null, "an app definition file must be named <id>.yaml");
        }
        String id = fileName.substring(0, fileName.length() - ".yaml".length());
        if (!ID.matcher(id).matches()) {
            throw new DefinitionException(fileName, null, "the app id (the file name without .yaml) must be 1 to 64 "
                    + "lower-case letters, digits, '-' or '_', starting with a letter or digit");
        }
        Object root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            options.setCodePointLimit(1024 * 1024);
            root = new Yaml(new SafeConstructor(options)).load(text);
        } catch (YAMLException e) {
            throw new DefinitionException(fileName, null, "not valid YAML: " + e.getMessage().replace('\n', ' '));
        }
        Node n = new Node(fileName, "", root);
        n.onlyKeys("name", "description", "icon", "type", "clusters", "proxy", "startTimeoutSeconds", "scheduler",
                "attributes", "beforeScript", "script", "connect");
        String name = n.text("name", true, 100);
        String description = n.text("description", false, 2000);
        String icon = n.text("icon", false, 2000);
        AppDefinition.Type type = n.choice("type", AppDefinition.Type.class, null);
        List<String> clusters = new ArrayList<>();
        for (Node c : n.list("clusters", true)) {
            String v = c.scalar();
            if (!"*".equals(v) && !Names.isValid(v)) {
                throw c.error("'" + v + "' is not a cluster id (" + Names.RULE + ") or *");
            }
            clusters.add(v);
        }
        if (clusters.isEmpty()) {
            throw n.child("clusters").error("must name at least one cluster, or *");
        }
        AppDefinition.Proxy proxy = n.choice("proxy", AppDefinition.Proxy.class, AppDefinition.Proxy.ABSOLUTE);
        Long timeout = n.number("startTimeoutSeconds", 10, 3600);
        Map<SchedulerField.Name, SchedulerField> scheduler = scheduler(n.child("scheduler"));
        List<Attribute> attributes = attributes(n.child("attributes"));
        String before = n.text("beforeScript", true, MAX_SCRIPT);
        String script = n.text("script", true, MAX_SCRIPT);
        Set<String> known = new LinkedHashSet<>(BUILT_INS);
        attributes.forEach(a -> known.add(a.name()));
        placeholders(n.child("beforeScript"), before, known);
        placeholders(n.child("script"), script, known);
        Connect connect = connect(n.child("connect"), type);
        return new AppDefinition(id, name, description, icon, type, List.copyOf(clusters), proxy,
                timeout == null ? 300 : timeout.intValue(), scheduler, attributes, before, script, connect);
    }

    private static Map<SchedulerField.Name, SchedulerField> scheduler(Node s) throws DefinitionException {
        Map<SchedulerField.Name, SchedulerField> out = new EnumMap<>(SchedulerField.Name.class);
        for (SchedulerField.Name f : SchedulerField.Name.values()) {
            out.put(f, SchedulerField.open(f));
        }
        if (s.value == null) {
            return out;
        }
        s.map();
        String[] keys = java.util.Arrays.stream(SchedulerField.Name.values()).map(SchedulerField.Name::key)
                .toArray(String[]::new);
        s.onlyKeys(keys);
        for (SchedulerField.Name f : SchedulerField.Name.values()) {
            Node x = s.child(f.key());
            if (x.value == null) {
                continue;
            }
            x.onlyKeys("fixed", "default", "hidden", "allowed", "min", "max");
            String fixed = x.child("fixed").value == null ? null : x.child("fixed").scalar();
            String def = x.child("default").value == null ? null : x.child("default").scalar();
            boolean hidden = x.bool("hidden");
            List<String> allowed = new ArrayList<>();
            for (Node a : x.list("allowed", false)) {
                allowed.add(a.scalar());
            }
            Long min = x.number("min", 0, Integer.MAX_VALUE);
            Long max = x.number("max", 0, Integer.MAX_VALUE);
            if (f.numeric()) {
                if (!allowed.isEmpty()) {
                    throw x.child("allowed").error("is for account, partition and qos; use min and max");
                }
                for (String v : new String[] {fixed, def}) {
                    if (v != null && !v.matches("\\d{1,9}")) {
                        throw x.error("fixed and default must be whole numbers, was '" + v + "'");
                    }
                }
            } else {
                if (min != null || max != null) {
                    throw x.error("min and max are for gpus, cores and time");
                }
                for (String v : allowed) {
                    if (!Names.isValid(v)) {
                        throw x.child("allowed").error("'" + v + "' " + Names.RULE);
                    }
                }
                for (String v : new String[] {fixed, def}) {
                    if (v != null && !Names.isValid(v)) {
                        throw x.error("'" + v + "' " + Names.RULE);
                    }
                }
            }
            if (min != null && max != null && min > max) {
                throw x.child("min").error("must not be greater than max");
            }
            if (hidden && fixed == null && def == null && f != SchedulerField.Name.QOS) {
                throw x.child("hidden").error("a hidden field needs a fixed or default value");
            }
            out.put(f, new SchedulerField(f, fixed, def, hidden, List.copyOf(allowed), min, max));
        }
        return out;
    }

    private static List<Attribute> attributes(Node list) throws DefinitionException {
        List<Attribute> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (Node a : list.list()) {
            a.onlyKeys("name", "label", "type", "required", "default", "options", "min", "max", "maxLength", "help");
            String name = a.text("name", true, 64);
            if (!ATTRIBUTE_NAME.matcher(name).matches()) {
                throw a.child("name").error("must be a letter followed by letters, digits or '_'");
            }
            if (BUILT_INS.contains(name) || !names.add(name)) {
                throw a.child("name").error("'" + name + "' is already taken (built-in or earlier attribute)");
            }
            AttributeType type = a.choice("type", AttributeType.class, null);
            List<Option> options = new ArrayList<>();
            for (Node o : a.list("options", false)) {
                if (o.value instanceof Map) {
                    o.onlyKeys("value", "label");
                    String v = o.text("value", true, 1000);
                    String l = o.text("label", false, 200);
                    options.add(new Option(v, l == null ? v : l));
                } else {
                    options.add(new Option(o.scalar(), o.scalar()));
                }
            }
            if (type == AttributeType.SELECT && options.isEmpty()) {
                throw a.child("options").error("a select needs at least one option");
            }
            if (type != AttributeType.SELECT && !options.isEmpty()) {
                throw a.child("options").error("only a select has options");
            }
            BigDecimal min = a.decimal("min");
            BigDecimal max = a.decimal("max");
            if ((min != null || max != null) && type != AttributeType.NUMBER) {
                throw a.error("min and max are for numbers");
            }
            Long maxLength = a.number("maxLength", 1, 4096);
            String def = a.child("default").value == null ? null : a.child("default").scalar();
            Attribute attr = new Attribute(name, a.text("label", false, 200), type, a.bool("required"), def,
                    List.copyOf(options), min, max, maxLength == null ? 1000 : maxLength.intValue(),
                    a.text("help", false, 2000));
            if (def != null) {
                try {
                    FormValues.attribute(attr, def);
                } catch (IllegalArgumentException e) {
                    throw a.child("default").error(e.getMessage());
                }
            }
            out.add(attr);
        }
        return List.copyOf(out);
    }

    private static Connect connect(Node c, AppDefinition.Type type) throws DefinitionException {
        if (c.value == null) {
            if (type == AppDefinition.Type.VNC) { // noVNC served by websockify
                return new Connect("GET", "/vnc.html", "password");
            }
            throw c.error("is required for web apps (method, path, passwordField)");
        }
        c.onlyKeys("method", "path", "passwordField");
        String method = c.text("method", false, 10);
        method = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
        if (!method.equals("GET") && !method.equals("POST")) {
            throw c.child("method").error("must be GET or POST");
        }
        String path = c.text("path", true, 500);
        String plain = path.replaceAll("\\{\\{\\s*sessionId\\s*}}", "x");
        if (!path.startsWith("/") || !plain.matches("[A-Za-z0-9/._~%?&=,+-]*")) {
            throw c.child("path").error("must be a path such as /tree or /vnc.html?path=proxy/{{ sessionId }}/x "
                    + "(letters, digits, / . _ ~ % ? & = , + - and the placeholder {{ sessionId }})");
        }
        String field = c.text("passwordField", false, 100);
        if (field != null && !field.matches("[A-Za-z0-9_.-]+")) {
            throw c.child("passwordField").error("must be a plain parameter name");
        }
        return new Connect(method, path, field);
    }

    private static void placeholders(Node where, String script, Set<String> known) throws DefinitionException {
        Matcher m = PLACEHOLDER.matcher(script);
        while (m.find()) {
            if (!known.contains(m.group(1))) {
                throw where.error("{{ " + m.group(1) + " }} names no attribute; known: " + known);
            }
        }
    }

    /** A YAML value and where it is, for error messages. */
    private record Node(String file, String path, Object value) {
        DefinitionException error(String problem) {
            return new DefinitionException(file, path, problem);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> map() throws DefinitionException {
            if (!(value instanceof Map)) {
                throw error("must be a mapping (key: value lines)");
            }
            return (Map<String, Object>) value;
        }

        Node child(String key) throws DefinitionException {
            return new Node(file, path.isEmpty() ? key : path + "." + key, value == null ? null : map().get(key));
        }

        void onlyKeys(String... keys) throws DefinitionException {
            Set<String> allowed = Set.of(keys);
            for (Object k : map().keySet()) {
                if (!(k instanceof String) || !allowed.contains(k)) {
                    throw new DefinitionException(file, path.isEmpty() ? String.valueOf(k) : path + "." + k,
                            "unknown key; allowed: " + new java.util.TreeSet<>(allowed));
                }
            }
        }

        String scalar() throws DefinitionException {
            if (value instanceof Map || value instanceof List || value == null) {
                throw error("must be a single value");
            }
            return String.valueOf(value);
        }

        String text(String key, boolean required, int maxLength) throws DefinitionException {
            Node c = child(key);
            if (c.value == null) {
                if (required) {
                    throw c.error("is required");
                }
                return null;
            }
            String s = c.scalar();
            if (s.isBlank() && required) {
                throw c.error("must not be empty");
            }
            if (s.length() > maxLength) {
                throw c.error("is longer than " + maxLength + " characters");
            }
            return s;
        }

        boolean bool(String key) throws DefinitionException {
            Node c = child(key);
            if (c.value == null) {
                return false;
            }
            if (!(c.value instanceof Boolean b)) {
                throw c.error("must be true or false");
            }
            return b;
        }

        Long number(String key, long min, long max) throws DefinitionException {
            Node c = child(key);
            if (c.value == null) {
                return null;
            }
            if (!(c.value instanceof Integer || c.value instanceof Long)) {
                throw c.error("must be a whole number");
            }
            long v = ((Number) c.value).longValue();
            if (v < min || v > max) {
                throw c.error("must be between " + min + " and " + max);
            }
            return v;
        }

        BigDecimal decimal(String key) throws DefinitionException {
            Node c = child(key);
            if (c.value == null) {
                return null;
            }
            if (!(c.value instanceof Number)) {
                throw c.error("must be a number");
            }
            return new BigDecimal(c.value.toString());
        }

        <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) throws DefinitionException {
            Node c = child(key);
            if (c.value == null) {
                if (fallback == null) {
                    throw c.error("is required; one of " + lower(type));
                }
                return fallback;
            }
            try {
                return Enum.valueOf(type, c.scalar().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw c.error("'" + c.value + "' is not one of " + lower(type));
            }
        }

        List<Node> list(String key, boolean required) throws DefinitionException {
            Node c = child(key);
            if (c.value == null && required) {
                throw c.error("is required");
            }
            return c.list();
        }

        List<Node> list() throws DefinitionException {
            if (value == null) {
                return List.of();
            }
            if (!(value instanceof List<?> l)) {
                throw error("must be a list");
            }
            List<Node> out = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) {
                out.add(new Node(file, path + "[" + i + "]", l.get(i)));
            }
            return out;
        }

        private static String lower(Class<? extends Enum<?>> type) {
            Map<String, String> m = new LinkedHashMap<>();
            for (Enum<?> e : type.getEnumConstants()) {
                m.put(e.name().toLowerCase(Locale.ROOT), "");
            }
            return String.join(", ", m.keySet());
        }
    }
}
