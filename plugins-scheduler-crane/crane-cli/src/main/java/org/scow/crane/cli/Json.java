package org.scow.crane.cli;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.MapEntry;
import com.google.protobuf.Message;
import java.util.List;
import java.util.Map;

/**
 * JSON output of the commands. Protocol messages are written with their {@code crane.proto} field names
 * (snake_case), every field present (defaults included, so scripts need no special cases); times are epoch
 * seconds and durations seconds, exactly as on the wire.
 */
final class Json {
    private Json() {
    }

    /** An ordered object from key, value, key, value... */
    static Map<String, Object> obj(Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    static String of(Object o) {
        StringBuilder sb = new StringBuilder();
        write(sb, o);
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private static void write(StringBuilder sb, Object o) {
        if (o == null) {
            sb.append("null");
        } else if (o instanceof Message m) {
            message(sb, m);
        } else if (o instanceof Map<?, ?> map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) sb.append(',');
                first = false;
                string(sb, String.valueOf(e.getKey()));
                sb.append(':');
                write(sb, e.getValue());
            }
            sb.append('}');
        } else if (o instanceof List<?> list) {
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) sb.append(',');
                write(sb, list.get(i));
            }
            sb.append(']');
        } else if (o instanceof Number || o instanceof Boolean) {
            sb.append(o);
        } else if (o instanceof com.google.protobuf.Descriptors.EnumValueDescriptor ev) {
            string(sb, ev.getName());
        } else {
            string(sb, o.toString());
        }
    }

    private static void message(StringBuilder sb, Message m) {
        sb.append('{');
        boolean first = true;
        for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
            // unset oneof members (and proto3 "optional" fields) are left out rather than shown as defaults
            if (f.getContainingOneof() != null && !m.hasField(f)) continue;
            if (!first) sb.append(',');
            first = false;
            string(sb, f.getName());
            sb.append(':');
            Object v = m.getField(f);
            if (f.isMapField()) {
                sb.append('{');
                boolean firstEntry = true;
                for (Object e : (List<?>) v) {
                    MapEntry<?, ?> entry = (MapEntry<?, ?>) e;
                    if (!firstEntry) sb.append(',');
                    firstEntry = false;
                    string(sb, String.valueOf(entry.getKey()));
                    sb.append(':');
                    write(sb, entry.getValue());
                }
                sb.append('}');
            } else {
                write(sb, v);
            }
        }
        sb.append('}');
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
