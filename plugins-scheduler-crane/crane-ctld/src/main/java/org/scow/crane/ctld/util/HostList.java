package org.scow.crane.ctld.util;

import java.util.List;
import org.scow.crane.ctld.CtldException;

/**
 * Host lists for the controller: the shared parser of crane-protocol ({@link org.scow.crane.protocol.HostList}),
 * with a malformed list reported as the controller's {@link CtldException} (INVALID_ARGUMENT on the field).
 */
public final class HostList {
    private HostList() {
    }

    public static List<String> expand(String field, String spec) {
        try {
            return org.scow.crane.protocol.HostList.expand(field, spec);
        } catch (org.scow.crane.protocol.HostList.Invalid e) {
            throw CtldException.invalid(e.field(), e.reason());
        }
    }

    /** Compresses names that share a prefix and numeric suffix width into ranges, keeping the given order. */
    public static String compress(List<String> names) {
        return org.scow.crane.protocol.HostList.compress(names);
    }
}
