package org.scow.crane.ctld.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A submission as a client sends it: raw, unvalidated values (null means "not given, use the default"). The
 * controller validates and normalises it into a {@link JobDesc}; fluent setters keep tests and clients short.
 */
public final class JobRequest {
    public String name = "job";
    public String user;
    public String account;
    public String partition;
    public String qos;
    public Integer nodes;
    public Integer ntasks;
    public Integer ntasksPerNode;
    public Integer cpusPerTask;
    /** Memory per node, e.g. {@code 4G}; exclusive with {@link #memPerCpu}. */
    public String mem;
    public String memPerCpu;
    public String gres;
    /** Time limit in Slurm notation, e.g. {@code 1-12:00:00} or {@code 30}. */
    public String timeLimit;
    public String workDir = "/tmp";
    public String script = "#!/bin/sh\ntrue\n";
    public Map<String, String> env = new LinkedHashMap<>();
    public String stdout;
    public String stderr;
    public String array;
    public String dependency;
    /** Epoch seconds before which the job may not start; 0 for none. */
    public long beginTime;
    public boolean hold;
    public boolean exclusive;
    public String nodelist;
    public String exclude;
    public String comment;
    public boolean requeue;

    public JobRequest() {
    }

    public JobRequest(String user, String account) {
        this.user = user;
        this.account = account;
    }

    public JobRequest name(String v) { name = v; return this; }
    public JobRequest user(String v) { user = v; return this; }
    public JobRequest account(String v) { account = v; return this; }
    public JobRequest partition(String v) { partition = v; return this; }
    public JobRequest qos(String v) { qos = v; return this; }
    public JobRequest nodes(int v) { nodes = v; return this; }
    public JobRequest ntasks(int v) { ntasks = v; return this; }
    public JobRequest ntasksPerNode(int v) { ntasksPerNode = v; return this; }
    public JobRequest cpusPerTask(int v) { cpusPerTask = v; return this; }
    public JobRequest mem(String v) { mem = v; return this; }
    public JobRequest memPerCpu(String v) { memPerCpu = v; return this; }
    public JobRequest gres(String v) { gres = v; return this; }
    public JobRequest time(String v) { timeLimit = v; return this; }
    public JobRequest workDir(String v) { workDir = v; return this; }
    public JobRequest script(String v) { script = v; return this; }
    public JobRequest env(String k, String v) { env.put(k, v); return this; }
    public JobRequest stdout(String v) { stdout = v; return this; }
    public JobRequest stderr(String v) { stderr = v; return this; }
    public JobRequest array(String v) { array = v; return this; }
    public JobRequest dependency(String v) { dependency = v; return this; }
    public JobRequest begin(long epochSec) { beginTime = epochSec; return this; }
    public JobRequest hold(boolean v) { hold = v; return this; }
    public JobRequest exclusive(boolean v) { exclusive = v; return this; }
    public JobRequest nodelist(String v) { nodelist = v; return this; }
    public JobRequest exclude(String v) { exclude = v; return this; }
    public JobRequest comment(String v) { comment = v; return this; }
    public JobRequest requeue(boolean v) { requeue = v; return this; }
}
