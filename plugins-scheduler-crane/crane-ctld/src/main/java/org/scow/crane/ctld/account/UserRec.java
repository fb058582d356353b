package org.scow.crane.ctld.account;

import java.util.LinkedHashMap;
import java.util.Map;

/** A user known to the controller: admin level and account memberships. */
public final class UserRec {
    public final String name;
    public AdminLevel level = AdminLevel.NONE;
    public final Map<String, Membership> memberships = new LinkedHashMap<>();

    UserRec(String name) {
        this.name = name;
    }
}
