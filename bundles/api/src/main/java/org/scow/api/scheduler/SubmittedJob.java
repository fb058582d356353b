package org.scow.api.scheduler;

/**
 * The scheduler's answer to a submission.
 *
 * @param jobId            the new job's id
 * @param generatedScript  the batch script the driver generated from a {@link JobSpec}, or the script as submitted
 */
public record SubmittedJob(String jobId, String generatedScript) {
}
