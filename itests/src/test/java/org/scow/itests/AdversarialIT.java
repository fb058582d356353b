package org.scow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Every write endpoint of the OpenAPI document, called by a tenant admin of one tenant against the objects of another
 * tenant and against system accounts, must be refused and change nothing; and a corpus of hostile input against every
 * endpoint that takes a JSON body must get a JSON 4xx that names the field, echoes little and never a Java class.
 * Bodies are made from the document's own schemas, so a new endpoint is attacked without editing this test.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AdversarialIT extends PlatformTestSupport {
    static final String PW = "adversary-Pass-1234";
    static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** Body properties that are names: a path or a dot-dot in them must be refused. */
    static final Set<String> NAME_FIELDS = Set.of("user", "userId", "owner", "admin", "tenant", "account", "cluster",
            "partition", "qos");
    private static boolean ready;
    private static String victimJob;
    private static String victimTemplate;
    private static String victimToken;

    @Configuration
    public Option[] config() {
        return enforcedWithTestDriver();
    }

    /**
     * Tenant {@code evilcorp} with admin {@code eve}. Tenant {@code default}: user {@code victim} (password, API token,
     * job template, a job) owning account {@code vacc} with member {@code vuser}, on cluster {@code itest} too.
     */
    @Before
    public void setUp() throws Exception {
        awaitRest();
        loginAdmin();
        if (ready) {
            return;
        }
        await("cluster itest online", java.time.Duration.ofSeconds(60),
                () -> ok(() -> get("/api/v1/clusters/itest").body().contains("\"online\":true")));
        for (String u : List.of("eve", "victim", "vuser")) {
            assertEquals(201, post("/api/v1/management/users", "{\"userId\":\"" + u + "\",\"tenant\":\"default\"}")
                    .status());
        }
        assertEquals(201, post("/api/v1/management/tenants", "{\"name\":\"evilcorp\",\"admin\":\"eve\"}").status());
        for (String u : List.of("eve", "victim")) {
            assertEquals(201, post("/api/v1/auth/users", "{\"user\":\"" + u + "\",\"password\":\"" + PW + "\"}")
                    .status());
        }
        assertEquals(201, post("/api/v1/management/accounts",
                "{\"name\":\"vacc\",\"tenant\":\"default\",\"owner\":\"victim\"}").status());
        assertEquals(201, post("/api/v1/management/accounts/vacc/members", "{\"user\":\"vuser\"}").status());
        assertEquals(200, put("/api/v1/management/accounts/vacc/whitelist", "{\"comment\":\"test\"}").status());
        assertEquals(200, post("/api/v1/billing/accounts/vacc/payments", "{\"amount\":100}").status());

        ApiSession victim = session("victim", PW);
        Reply token = call("POST", "/api/v1/auth/tokens", "{\"name\":\"mine\",\"days\":1}", victim.headers());
        assertEquals(token.toString(), 201, token.status());
        victimToken = token.json().at("/token/id").asText();
        Reply template = call("POST", "/api/v1/job-templates", "{\"name\":\"t1\",\"cluster\":\"itest\","
                + "\"spec\":{\"nodes\":1,\"coresPerNode\":1,\"gpusPerNode\":0,\"script\":\"echo hi\"}}",
                victim.headers());
        assertTrue(template.toString(), template.status() == 201);
        victimTemplate = template.json().get("id").asText();
        long end = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        Reply job;
        do { // the whitelist reaches the cluster asynchronously
            job = call("POST", "/api/v1/clusters/itest/jobs", "{\"user\":\"victim\",\"name\":\"v\",\"account\":"
                    + "\"vacc\",\"partition\":\"debug\",\"nodes\":1,\"coresPerNode\":1,\"gpusPerNode\":0,"
                    + "\"timeLimitMinutes\":10,\"script\":\"echo hi\",\"workingDirectory\":\"/tmp\"}",
                    victim.headers());
        } while (job.status() == 422 && System.nanoTime() < end && pause());
        assertEquals(job.toString(), 201, job.status());
        victimJob = job.json().get("jobId").asText();
        ready = true;
    }

    private static boolean pause() throws InterruptedException {
        Thread.sleep(500);
        return true;
    }

    private interface Check {
        boolean get() throws Exception;
    }

    private static boolean ok(Check c) {
        try {
            return c.get();
        } catch (Exception e) {
            return false;
        }
    }

    /** What the attack must not change, as the platform admin reads it. */
    private static String snapshot() throws Exception {
        loginAdmin();
        StringBuilder s = new StringBuilder();
        s.append(get("/api/v1/management/tenants").body().replaceAll("\"createdAt\":\"[^\"]*\"", "")).append('\n');
        s.append(get("/api/v1/management/users?tenant=default").body()).append('\n');
        s.append(get("/api/v1/management/accounts?tenant=default").body()).append('\n');
        s.append(get("/api/v1/management/users/victim/roles").body()).append('\n');
        s.append(get("/api/v1/billing/accounts/vacc/balance").body()).append('\n');
        s.append(get("/api/v1/billing/tenants/default/balance").body()).append('\n');
        s.append(get("/api/v1/billing/accounts/vacc/users/vuser/charge-limit").body()).append('\n');
        s.append(get("/api/v1/auth/tokens?all=true").body().replaceAll("\"lastUsedAt\":\"[^\"]*\",?", ""))
                .append('\n');
        s.append(get("/api/v1/job-templates/" + victimTemplate).body()).append('\n');
        s.append(get("/api/v1/clusters/itest/accounts").body()).append('\n');
        return s.toString();
    }

    @Test
    public void aTenantAdminCannotWriteIntoAnotherTenantOrForASystemAccount() throws Exception {
        String before = snapshot();
        ApiSession eve = session("eve", PW);
        assertEquals(200, eve.reply().status());
        JsonNode doc = get("/api/v1/openapi.json").json();
        List<String> wrong = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        int calls = 0;
        for (String identity : List.of("victim", "root")) {
            for (Op op : operations(doc)) {
                if (!Set.of("POST", "PUT", "DELETE", "PATCH").contains(op.method()) || ownOnly(op)) {
                    continue;
                }
                String path = op.path().replace("{cluster}", "itest").replace("{account}", "vacc")
                        .replace("{tenant}", "default").replace("{user}", identity)
                        .replace("{role}", "PLATFORM_ADMIN").replace("{jobId}", victimJob)
                        .replace("{id}", op.path().contains("/auth/tokens") ? victimToken : victimTemplate);
                String body = op.body() == null ? null : example(doc, op.body(), identity).toString();
                Reply r = call(op.method(), path, body, eve.headers());
                calls++;
                statuses.merge(r.status(), 1, Integer::sum);
                boolean refused = Set.of(400, 403, 404, 409, 413, 422).contains(r.status());
                if (!refused) {
                    wrong.add(identity + ": " + op.method() + " " + path + " " + body + " -> " + r.status() + " "
                            + r.body().substring(0, Math.min(200, r.body().length())));
                }
            }
        }
        assertTrue(calls > 60);
        assertTrue(wrong.size() + " of " + calls + " attacks not refused:\n" + String.join("\n", wrong),
                wrong.isEmpty());
        // most refusals must be about scope, not about a malformed body: else the attack tested nothing
        int scope = statuses.getOrDefault(403, 0) + statuses.getOrDefault(404, 0) + statuses.getOrDefault(422, 0);
        assertTrue("statuses " + statuses, scope * 2 > calls);
        assertEquals("the victim's tenant is as it was", before, snapshot());
        assertEquals(200, session("victim", PW).reply().status());
        assertTrue(get("/api/v1/clusters/itest/jobs/" + victimJob).body(),
                !get("/api/v1/clusters/itest/jobs/" + victimJob).body().contains("CANCELLED"));
    }

    @Test
    public void aTenantAdminReadsNothingOfAnotherTenant() throws Exception {
        ApiSession eve = session("eve", PW);
        JsonNode doc = get("/api/v1/openapi.json").json();
        List<String> leaks = new ArrayList<>();
        int calls = 0;
        for (Op op : operations(doc)) {
            if (!op.method().equals("GET") || op.path().contains("/files") || op.path().contains("/login-nodes")) {
                continue; // files are the caller's own Unix user's, whatever the path says (LoginNodeIT)
            }
            String path = op.path().replace("{cluster}", "itest").replace("{account}", "vacc")
                    .replace("{tenant}", "default").replace("{user}", "victim").replace("{role}", "TENANT_ADMIN")
                    .replace("{jobId}", victimJob).replace("{id}", victimTemplate);
            for (String query : List.of("", "?tenant=default", "?account=vacc", "?user=victim",
                    "?targetType=ACCOUNT&target=vacc", "?all=true")) {
                Reply r = call("GET", path + query, null, eve.headers());
                calls++;
                if (r.status() < 300 && (r.body().contains("\"vacc\"") || r.body().contains("\"victim\"")
                        || r.body().contains("\"jobId\":\"" + victimJob + "\""))) {
                    leaks.add("GET " + path + query + " -> " + r.status() + " "
                            + r.body().substring(0, Math.min(200, r.body().length())));
                }
            }
        }
        assertTrue(calls > 100);
        assertTrue(leaks.size() + " reads show another tenant's objects:\n" + String.join("\n", leaks),
                leaks.isEmpty());
    }

    /** The caller's own things (signing in and out, their password, their templates): not another tenant's. */
    private static boolean ownOnly(Op op) {
        return op.path().endsWith("/auth/login") || op.path().endsWith("/auth/logout")
                || op.path().endsWith("/auth/password")
                || op.method().equals("POST") && op.path().equals("/api/v1/job-templates");
    }

    @Test
    public void hostileInputGetsAJson4xxNamingTheField() throws Exception {
        loginAdmin();
        JsonNode doc = get("/api/v1/openapi.json").json();
        List<String> wrong = new ArrayList<>();
        Set<String> endpoints = new java.util.TreeSet<>();
        int calls = 0;
        String huge = "x".repeat(100_000);
        String[] admin = headersOfAdmin();
        for (Op op : operations(doc)) {
            if (op.body() == null || op.path().endsWith("/auth/logout")) {
                continue;
            }
            String path = op.path().replace("{cluster}", "itest").replace("{account}", "vacc")
                    .replace("{tenant}", "default").replace("{user}", "vuser").replace("{role}", "TENANT_FINANCE")
                    .replace("{jobId}", "999999").replace("{id}", "999999");
            ObjectNode base = example(doc, op.body(), "vuser");
            List<String[]> cases = new ArrayList<>(); // {what, body, field or ""}
            cases.add(new String[] {"malformed", "{\"a\":", ""});
            cases.add(new String[] {"truncated", base.toString().substring(0, base.toString().length() / 2), ""});
            cases.add(new String[] {"not an object", "[1,2]", ""});
            boolean overLimitSent = false;
            for (Iterator<String> it = base.fieldNames(); it.hasNext();) {
                String field = it.next();
                JsonNode schema = property(doc, op.body(), field);
                String type = schema.path("type").asText("object");
                for (JsonNode bad : wrongTypes(type)) {
                    cases.add(new String[] {"wrong type " + bad, with(base, field, bad), field});
                }
                if (type.equals("string")) {
                    cases.add(new String[] {"NUL", with(base, field, F.textNode("a\u0000b")), field});
                    cases.add(new String[] {"control", with(base, field, F.textNode("a\u001bb")), field});
                    if (NAME_FIELDS.contains(field)) {
                        cases.add(new String[] {"huge", with(base, field, F.textNode(huge)), field});
                        cases.add(new String[] {"traversal", with(base, field, F.textNode("../../etc/passwd")),
                                field});
                    } else if (!overLimitSent) {
                        overLimitSent = true;
                        cases.add(new String[] {"beyond the body limit", with(base, field,
                                F.textNode("y".repeat(3 * 1024 * 1024))), ""});
                    }
                }
                if (type.equals("integer")) {
                    cases.add(new String[] {"out of range", with(base, field, F.numberNode(
                            new java.math.BigInteger("99999999999999999999999"))), field});
                    cases.add(new String[] {"fraction", with(base, field, F.numberNode(1.5)), field});
                }
                if (type.equals("number")) {
                    cases.add(new String[] {"out of range", with(base, field,
                            F.numberNode(new java.math.BigDecimal("1e400"))), field});
                    cases.add(new String[] {"too precise", with(base, field,
                            F.numberNode(new java.math.BigDecimal("0.000001"))), field});
                }
                String dup = base.toString().replaceFirst("^\\{", "{\"" + field + "\":" + base.get(field) + ",");
                cases.add(new String[] {"duplicate key", dup, field});
            }
            endpoints.add(op.method() + " " + op.path());
            for (String[] c : cases) {
                calls++;
                Reply r;
                try {
                    r = call(op.method(), path, c[1], admin);
                } catch (java.io.IOException e) {
                    wrong.add(op.method() + " " + path + " [" + c[0] + "]: " + e);
                    continue;
                }
                String problem = problem(r, c[2], c[1]);
                if (problem != null) {
                    wrong.add(op.method() + " " + path + " [" + c[0] + (c[2].isEmpty() ? "" : " in " + c[2])
                            + "]: " + problem);
                }
            }
        }
        assertTrue("endpoints with bodies: " + endpoints, endpoints.size() >= 25);
        // parameters too
        for (String q : List.of("/api/v1/clusters/itest/jobs?page=abc", "/api/v1/clusters/itest/jobs?pageSize=-1",
                "/api/v1/clusters/itest/jobs?state=SLEEPING", "/api/v1/clusters/itest/jobs?submittedFrom=yesterday",
                "/api/v1/clusters/itest/jobs?user=..%2F..%2Fetc", "/api/v1/management/audit?limit=0",
                "/api/v1/management/audit?offset=-1", "/api/v1/management/audit?from=%00",
                "/api/v1/billing/payments?from=not-a-date", "/api/v1/billing/statistics?top=1000000",
                "/api/v1/auth/audit?limit=" + "9".repeat(300), "/api/v1/clusters/itest/events?limit=x")) {
            String field = q.replaceAll(".*\\?([a-zA-Z]+)=.*", "$1");
            String problem = problem(call("GET", q, null, admin), field, q);
            calls++;
            if (problem != null) {
                wrong.add("GET " + q + ": " + problem);
            }
        }
        assertTrue(wrong.size() + " of " + calls + " hostile requests answered badly:\n" + String.join("\n", wrong),
                wrong.isEmpty());
    }

    private static String[] headersOfAdmin() throws Exception {
        return session("admin", ADMIN_PASSWORD).headers();
    }

    /** Null when the answer is a clean refusal, else what is wrong with it. */
    static String problem(Reply r, String field, String sent) {
        String head = r.status() + " " + r.body().substring(0, Math.min(300, r.body().length()));
        if (r.status() < 400 || r.status() >= 500) {
            return "not a 4xx: " + head;
        }
        if (r.json() == null || !r.json().has("code") || !r.json().has("message")) {
            return "not a JSON error: " + head;
        }
        String message = r.json().get("message").asText();
        if (message.matches("(?s).*(org\\.scow|java\\.|javax\\.|com\\.fasterxml|\\$[A-Z]|Exception"
                + "|\\bat [a-z][\\w.$]*\\().*")) {
            return "names Java internals: " + head;
        }
        if (r.body().contains("x".repeat(201)) || r.body().contains("y".repeat(201))
                || r.body().length() > 1200) {
            return "echoes too much (" + r.body().length() + " characters)";
        }
        boolean named = field.isEmpty() || field.equals(r.json().at("/details/field").asText(null))
                || message.contains(field) || Set.of(401, 403, 404, 409, 413).contains(r.status());
        return named ? null : "does not name " + field + ": " + head;
    }

    private static String with(ObjectNode base, String field, JsonNode value) {
        ObjectNode copy = base.deepCopy();
        copy.set(field, value);
        return copy.toString();
    }

    private static List<JsonNode> wrongTypes(String type) {
        return switch (type) {
            case "string" -> List.of(F.booleanNode(true), F.numberNode(7), F.arrayNode(), F.objectNode());
            case "integer", "number" -> List.of(F.textNode("many"), F.booleanNode(true), F.arrayNode());
            case "boolean" -> List.of(F.textNode("yes"), F.numberNode(2), F.objectNode());
            case "array" -> List.of(F.textNode("x"), F.objectNode());
            default -> List.of(F.textNode("x"), F.numberNode(1));
        };
    }

    /** An operation of the document: method, path template and request body schema (null: none). */
    record Op(String method, String path, JsonNode body) {
    }

    static List<Op> operations(JsonNode doc) {
        List<Op> ops = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("paths").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> p = it.next();
            for (Iterator<Map.Entry<String, JsonNode>> m = p.getValue().fields(); m.hasNext();) {
                Map.Entry<String, JsonNode> o = m.next();
                String method = o.getKey().toUpperCase();
                if (!Set.of("GET", "POST", "PUT", "DELETE", "PATCH").contains(method)) {
                    continue;
                }
                JsonNode schema = o.getValue().at("/requestBody/content/application~1json/schema");
                ops.add(new Op(method, p.getKey(), schema.isMissingNode() ? null : schema));
            }
        }
        return ops;
    }

    static JsonNode resolve(JsonNode doc, JsonNode schema) {
        while (schema.has("$ref")) {
            schema = doc.at(schema.get("$ref").asText().substring(1));
        }
        return schema;
    }

    static JsonNode property(JsonNode doc, JsonNode schema, String field) {
        return resolve(doc, resolve(doc, schema).path("properties").path(field));
    }

    /** A plausible body: names aimed at the victim's tenant (or at a system account), sensible numbers. */
    static ObjectNode example(JsonNode doc, JsonNode schema, String identity) {
        ObjectNode out = F.objectNode();
        JsonNode s = resolve(doc, schema);
        for (Iterator<Map.Entry<String, JsonNode>> it = s.path("properties").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            out.set(e.getKey(), value(doc, e.getKey(), resolve(doc, e.getValue()), identity));
        }
        return out;
    }

    private static JsonNode value(JsonNode doc, String name, JsonNode s, String identity) {
        if (s.has("enum")) {
            return s.get("enum").get(0);
        }
        String type = s.path("type").asText("object");
        switch (type) {
            case "integer":
                return F.numberNode(1);
            case "number":
                return F.numberNode(1);
            case "boolean":
                return F.booleanNode(false);
            case "array":
                ArrayNode a = F.arrayNode();
                JsonNode items = resolve(doc, s.path("items"));
                if (items.has("properties")) {
                    a.add(example(doc, items, identity));
                }
                return a;
            case "string":
                break;
            default:
                return s.has("properties") ? example(doc, s, identity) : F.objectNode();
        }
        if ("date-time".equals(s.path("format").asText())) {
            return F.textNode(java.time.Instant.now().plusSeconds(86_400).toString());
        }
        return F.textNode(switch (name) {
            case "user", "userId", "owner", "admin" -> identity;
            case "tenant" -> "default";
            case "account", "name" -> "vacc";
            case "cluster" -> "itest";
            case "partition" -> "debug";
            case "role" -> "ADMIN";
            case "password", "newPassword", "oldPassword" -> "Attack-Pass-1234";
            case "email" -> "a@example.org";
            case "script" -> "id";
            case "workingDirectory", "path", "source", "destination" -> "/tmp";
            case "scope" -> "write";
            case "amount" -> "CPUS";
            case "backend" -> "builtin";
            default -> "x";
        });
    }
}
