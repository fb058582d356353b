// Shapes of the REST API's JSON (see the OpenAPI document at /api/v1/openapi.json).

export type Role =
  | 'PLATFORM_ADMIN'
  | 'PLATFORM_FINANCE'
  | 'TENANT_ADMIN'
  | 'TENANT_FINANCE'
  | 'ACCOUNT_OWNER'
  | 'ACCOUNT_ADMIN'
  | 'ACCOUNT_USER';

export interface UserRoles {
  userId: string;
  tenant: string | null;
  platform: Role[];
  tenantRoles: Role[];
  accounts: Record<string, Role>;
}

export interface Me {
  user: string;
  roles: UserRoles | null;
  via: string;
  csrfToken: string | null;
}

export interface Counts {
  total: number;
  running: number;
  idle: number;
  unavailable: number;
}

export interface Usage {
  nodes: Counts;
  cpus: Counts;
  gpus: Counts;
  runningJobs: number;
  pendingJobs: number;
}

export interface ClusterUsage {
  total: Usage;
  partitions: { partition: string; usage: Usage }[];
}

export interface ClusterView {
  id: string;
  displayName: string;
  driver: string;
  online: boolean;
  offlineReason: string | null;
}

export interface Partition {
  name: string;
  nodes: number;
  cores: number;
  memoryMb: number;
  gpus: number;
  qos: string[];
  maxTimeMinutes: number | null;
  up: boolean;
  comment: string | null;
}

export type JobState =
  | 'PENDING'
  | 'RUNNING'
  | 'SUSPENDED'
  | 'COMPLETING'
  | 'COMPLETED'
  | 'CANCELLED'
  | 'FAILED'
  | 'TIMEOUT'
  | 'OUT_OF_MEMORY'
  | 'NODE_FAIL'
  | 'PREEMPTED'
  | 'UNKNOWN';

export interface JobInfo {
  jobId: string;
  name: string | null;
  account: string | null;
  user: string | null;
  partition: string | null;
  qos: string | null;
  state: JobState;
  reason: string | null;
  cpusReq: number | null;
  memReqMb: number | null;
  nodesReq: number | null;
  gpusReq: number | null;
  timeLimitMinutes: number | null;
  submitTime: string | null;
  startTime: string | null;
  endTime: string | null;
  elapsedSeconds: number | null;
  workingDirectory: string | null;
  stdoutPath: string | null;
  stderrPath: string | null;
  nodeList: string | null;
  exitCode: number | null;
}

export interface JobSpec {
  user: string;
  name: string;
  account: string;
  partition: string;
  qos?: string | null;
  nodes: number;
  coresPerNode: number;
  gpusPerNode: number;
  memoryMbPerNode?: number | null;
  timeLimitMinutes?: number | null;
  script: string;
  workingDirectory: string;
  stdout?: string | null;
  stderr?: string | null;
  extraOptions?: string[];
}

export interface JobTemplate {
  id: string | number;
  name: string;
  cluster: string;
  spec: Partial<JobSpec>;
  createdAt: string;
  updatedAt: string;
}

export interface Balance {
  targetType: string;
  target: string;
  balance: number;
  threshold: number | null;
  belowThreshold: boolean | null;
}

export interface Member {
  userId: string;
  role: 'OWNER' | 'ADMIN' | 'USER';
  blockedByAdmin: boolean;
}

export interface Account {
  name: string;
  tenant: string;
  owner: string;
  comment: string | null;
  blockedByAdmin: boolean;
  whitelisted: boolean;
  whitelistExpiresAt: string | null;
  members: Member[];
  createdAt: string;
}

export interface Tenant {
  name: string;
  createdAt: string;
}

export interface ManagedUser {
  userId: string;
  name: string | null;
  email: string | null;
  tenant: string | null;
  roles: Role[];
  createdAt: string;
}

export interface FileEntry {
  name: string;
  type: 'FILE' | 'DIR' | 'LINK' | 'OTHER';
  size: number;
  modifiedAt: string;
  mode: string | number;
}

export interface FileListing {
  path: string;
  entries: FileEntry[];
  totalCount: number;
}

export interface LoginNode {
  name: string;
  host: string;
  port: number;
}
