package org.scow.api.scheduler;

/** Selectable and sortable fields of {@link JobInfo}; names match the record's components. */
public enum JobField {
    JOB_ID, NAME, ACCOUNT, USER, PARTITION, QOS, STATE, REASON,
    CPUS_REQ, MEM_REQ_MB, NODES_REQ, GPUS_REQ, TIME_LIMIT_MINUTES,
    SUBMIT_TIME, START_TIME, END_TIME, ELAPSED_SECONDS,
    WORKING_DIRECTORY, STDOUT_PATH, STDERR_PATH, NODE_LIST,
    CPUS_ALLOC, MEM_ALLOC_MB, NODES_ALLOC, GPUS_ALLOC, EXIT_CODE
}
