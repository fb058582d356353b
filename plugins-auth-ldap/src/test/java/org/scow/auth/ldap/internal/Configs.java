package org.scow.auth.ldap.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** Builds {@link LdapAuthConfig} instances the way DS does: given values by property name, defaults otherwise. */
final class Configs {
    private Configs() {
    }

    /** {@code values} keyed by property name ({@code .bindPassword} for the method {@code _bindPassword}). */
    static LdapAuthConfig config(Map<String, ?> values) {
        Map<String, Object> copy = new HashMap<>(values);
        return (LdapAuthConfig) Proxy.newProxyInstance(LdapAuthConfig.class.getClassLoader(),
                new Class<?>[] {LdapAuthConfig.class}, (proxy, m, args) -> {
                    if (m.getDeclaringClass() == Object.class) {
                        return switch (m.getName()) {
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            default -> "LdapAuthConfig" + copy;
                        };
                    }
                    if (m.getName().equals("annotationType")) {
                        return LdapAuthConfig.class;
                    }
                    String key = propertyName(m);
                    Object v = copy.containsKey(key) ? copy.get(key) : m.getDefaultValue();
                    return coerce(v, m.getReturnType());
                });
    }

    static LdapAuthConfig config(Object... keyValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return config(m);
    }

    private static String propertyName(Method m) {
        String n = m.getName();
        return n.startsWith("_") ? "." + n.substring(1) : n;
    }

    private static Object coerce(Object v, Class<?> type) {
        if (type == String[].class && v instanceof String s) {
            return new String[] {s};
        }
        if ((type == int.class) && v instanceof Number n) {
            return n.intValue();
        }
        if ((type == long.class) && v instanceof Number n) {
            return n.longValue();
        }
        return v;
    }
}
