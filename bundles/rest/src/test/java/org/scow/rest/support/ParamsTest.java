package org.scow.rest.support;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.fail;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.Test;
import org.scow.api.scheduler.JobField;

public class ParamsTest {
    private static void rejects(Runnable r, String field) {
        try {
            r.run();
            fail("accepted");
        } catch (ApiException e) {
            assertEquals(400, e.status());
            assertEquals(field + ":", e.getMessage().substring(0, field.length() + 1));
        }
    }

    @Test
    public void integers() {
        assertEquals(Integer.valueOf(5), Params.integer("page", " 5 ", 1, 10));
        assertNull(Params.integer("page", "", 1, 10));
        rejects(() -> Params.integer("page", "0", 1, 10), "page");
        rejects(() -> Params.integer("page", "1e3", 1, 10), "page");
    }

    @Test
    public void instants() {
        assertEquals(Instant.parse("2026-01-31T08:00:00Z"), Params.instant("from", "2026-01-31T08:00:00Z"));
        rejects(() -> Params.instant("from", "31/01/2026"), "from");
    }

    @Test
    public void listsAndNames() {
        assertEquals(Set.of("a", "b", "c"), Params.list(List.of("a,b", " c ", ",")));
        rejects(() -> Params.names("user", List.of("ok,not ok")), "user");
        rejects(() -> Params.name("account", "-rf"), "account");
        rejects(() -> Params.name("account", null), "account");
    }

    @Test
    public void enumsInAnyCommonSpelling() {
        assertEquals(JobField.END_TIME, Params.enumValue("sort", "endTime", JobField.class));
        assertEquals(JobField.END_TIME, Params.enumValue("sort", "end_time", JobField.class));
        rejects(() -> Params.enumValue("sort", "colour", JobField.class), "sort");
    }
}
