package org.scow.scheduler.slurm.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.scow.scheduler.slurm.internal.AccountViewTest.assoc;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.Test;
import org.scow.api.scheduler.ClusterConfig;
import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.SchedulerException;

/** The sacctmgr statements behind each account and block operation, against canned sacctmgr output. */
public class AccountsTest {
    private static final String PARTITIONS = "PartitionName=debug State=UP\nPartitionName=long State=UP\n";

    private final FakeRunner runner = new FakeRunner().on("scontrol show partition", PARTITIONS)
            .on("scontrol show config", "ClusterName             = local\n"
                    + "AccountingStorageEnforce = associations,limits,qos,safe\n");

    private Accounts accounts() throws SchedulerException {
        SlurmCli cli = cli();
        return new Accounts(new Sacctmgr(cli), new ClusterReader(cli), new JobReader(cli), new ChangeLock());
    }

    private Blocks blocks() throws SchedulerException {
        SlurmCli cli = cli();
        return new Blocks(new Sacctmgr(cli), new ClusterReader(cli), new ChangeLock());
    }

    private SlurmCli cli() throws SchedulerException {
        return new SlurmCli(SlurmSettings.from(new ClusterConfig("t", "T", "slurm", Map.of("cluster", "local"))),
                runner);
    }

    private void associations(String output) {
        runner.on("sacctmgr -n -P show assoc", output);
    }

    @Test
    public void everyStatementNamesTheCluster() throws Exception {
        associations("");
        accounts().create("phys", "alice");
        assertEquals(List.of("sacctmgr -i add account phys cluster=local",
                "sacctmgr -i add user alice account=phys cluster=local"), runner.lines("sacctmgr -i"));
        assertTrue(runner.lines("show assoc").get(0).contains("where cluster=local account=phys"));
    }

    @Test
    public void createExistingAccountFails() throws Exception {
        associations(assoc("phys", "", "", ""));
        expect(ErrorCode.ALREADY_EXISTS, () -> accounts().create("phys", "alice"));
        assertEquals(List.of(), runner.lines("sacctmgr -i"));
    }

    @Test
    public void blockingIsIdempotent() throws Exception {
        associations(assoc("phys", "", "", "G") + assoc("phys", "alice", "", ""));
        blocks().block("phys");
        assertEquals("already blocked: nothing to change", List.of(), runner.lines("sacctmgr -i"));
    }

    @Test
    public void blockSetsTheGroupLimitsOnTheAccountAssociation() throws Exception {
        associations(assoc("phys", "", "", "") + assoc("phys", "alice", "", ""));
        blocks().block("phys");
        assertEquals(List.of("sacctmgr -i modify account where name=phys cluster=local set GrpSubmitJobs=0 GrpJobs=0"),
                runner.lines("sacctmgr -i"));
    }

    @Test
    public void blockingIsRefusedWhereSlurmWouldIgnoreIt() throws Exception {
        associations(assoc("phys", "", "", "") + assoc("phys", "alice", "", ""));
        runner.on("scontrol show config", "AccountingStorageEnforce = associations\n");
        var e = expect(ErrorCode.INTERNAL, () -> blocks().block("phys"));
        assertTrue(e.getMessage(), e.getMessage().contains("AccountingStorageEnforce=associations"));
        expect(ErrorCode.INTERNAL, () -> blocks().blockUser("alice", "phys"));
        assertEquals(List.of(), runner.lines("sacctmgr -i"));
        blocks().unblock("phys");
    }

    @Test
    public void partitionBlockCreatesMissingPartitionAssociationsWithTheMembersQosAndUserBlock() throws Exception {
        associations(assoc("phys", "", "", "") + assoc("phys", "alice", "", "", "normal,high", "high")
                + assoc("phys", "bob", "", "M") + assoc("phys", "bob", "debug", ""));
        blocks().block("phys", Set.of("debug"));
        assertEquals(List.of(
                "sacctmgr -i add user alice account=phys partition=debug cluster=local GrpSubmitJobs=0 GrpJobs=0 "
                        + "QOS=normal,high DefaultQOS=high",
                "sacctmgr -i modify user where name=bob account=phys partition=debug cluster=local set "
                        + "GrpSubmitJobs=0 GrpJobs=0"), runner.lines("sacctmgr -i"));
    }

    @Test
    public void unknownPartitionIsRefusedBeforeAnyChange() throws Exception {
        associations(assoc("phys", "", "", "") + assoc("phys", "alice", "", ""));
        expect(ErrorCode.PARTITION_NOT_FOUND, () -> blocks().block("phys", Set.of("gpu")));
        assertEquals(List.of(), runner.lines("sacctmgr -i"));
    }

    @Test
    public void unblockingOnePartitionOfAWholeBlockKeepsTheOthersBlocked() throws Exception {
        associations(assoc("phys", "", "", "G") + assoc("phys", "alice", "", ""));
        blocks().unblock("phys", Set.of("debug"));
        assertEquals(List.of(
                "sacctmgr -i add user alice account=phys partition=long cluster=local GrpSubmitJobs=0 GrpJobs=0",
                "sacctmgr -i modify account where name=phys cluster=local set GrpSubmitJobs=-1 GrpJobs=-1"),
                runner.lines("sacctmgr -i"));
    }

    @Test
    public void newMembersInheritPartitionBlocks() throws Exception {
        associations(assoc("phys", "", "", "") + assoc("phys", "alice", "", "") + assoc("phys", "alice", "long", "G"));
        accounts().addUser("bob", "phys");
        assertEquals(List.of("sacctmgr -i add user bob account=phys cluster=local",
                "sacctmgr -i add user bob account=phys partition=long cluster=local GrpSubmitJobs=0 GrpJobs=0"),
                runner.lines("sacctmgr -i"));
    }

    @Test
    public void userBlockCoversEveryAssociationOfTheUserInTheAccount() throws Exception {
        associations(assoc("phys", "", "", "") + assoc("phys", "alice", "", ""));
        blocks().blockUser("alice", "phys");
        assertEquals(List.of("sacctmgr -i modify user where name=alice account=phys cluster=local set "
                + "MaxSubmitJobs=0 MaxJobs=0"), runner.lines("sacctmgr -i"));
        expect(ErrorCode.USER_NOT_IN_ACCOUNT, () -> blocks().blockUser("bob", "phys"));
    }

    @Test
    public void slurmsRootAccountIsNotAPlatformAccount() throws Exception {
        associations(assoc("root", "", "", "") + assoc("root", "root", "", ""));
        expect(ErrorCode.ACCOUNT_NOT_FOUND, () -> blocks().block("root"));
        assertEquals(List.of(), accounts().listAccounts("root"));
        assertEquals(List.of(), accounts().all());
    }

    @Test
    public void removingAUserWithActiveJobsIsRefused() throws Exception {
        associations(assoc("phys", "", "", "") + assoc("phys", "alice", "", ""));
        runner.on("squeue", "42\n");
        expect(ErrorCode.INVALID_STATE, () -> accounts().removeUser("alice", "phys"));
        assertEquals(List.of(), runner.lines("sacctmgr -i"));
        assertTrue(runner.lines("squeue").get(0).contains("--account=phys --user=alice"));
    }

    @Test
    public void deletingTheDefaultAccountMovesTheDefaultFirst() throws Exception {
        associations(assoc("phys", "", "", "") + assoc("phys", "alice", "", "") + assoc("bio", "alice", "", ""));
        runner.on("show user alice", "phys\n");
        accounts().delete("phys");
        assertEquals(List.of("sacctmgr -i modify user where name=alice cluster=local set DefaultAccount=bio",
                "sacctmgr -i delete account where name=phys cluster=local"), runner.lines("sacctmgr -i"));
    }

    @Test
    public void deletingAUsersOnlyAccountRemovesTheUserAndTheAccountRecord() throws Exception {
        associations(assoc("phys", "", "", "") + assoc("phys", "alice", "", ""));
        runner.on("show user alice", "phys\n");
        runner.on("format=Cluster", "");
        accounts().delete("phys");
        assertEquals(List.of("sacctmgr -i delete user where name=alice account=phys cluster=local",
                "sacctmgr -i delete account where name=phys cluster=local",
                "sacctmgr -i delete account where name=phys"), runner.lines("sacctmgr -i"));
    }

    @Test
    public void activeJobsRefusedBySlurmAreInvalidState() throws Exception {
        associations(assoc("phys", "", "", "") + assoc("phys", "alice", "", ""));
        runner.on("sacctmgr -i delete", new CommandResult(1, "",
                " Error with request: Job(s) active, cancel job(s) before remove\n"));
        expect(ErrorCode.INVALID_STATE, () -> accounts().delete("phys"));
    }

    @Test
    public void unreachableDatabaseIsUnavailable() throws Exception {
        runner.on("sacctmgr", new CommandResult(1, "",
                "sacctmgr: error: Sending PersistInit msg: Connection refused\n"));
        SchedulerException e = expect(ErrorCode.UNAVAILABLE, () -> accounts().listAccounts("alice"));
        assertTrue(e.getMessage(), e.getMessage().contains("Connection refused"));
    }

    @Test
    public void namesAreValidatedBeforeReachingSacctmgr() throws Exception {
        expect(ErrorCode.INVALID_ARGUMENT, () -> accounts().create("bad name", "alice"));
        expect(ErrorCode.INVALID_ARGUMENT, () -> accounts().addUser("-x", "phys"));
        assertFalse(runner.commands.stream().anyMatch(c -> c.program().equals("sacctmgr")));
    }

    static SchedulerException expect(ErrorCode code, Op op) {
        try {
            op.run();
        } catch (SchedulerException e) {
            assertEquals(e.getMessage(), code, e.code());
            return e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        fail("expected " + code);
        return null;
    }

    interface Op {
        void run() throws Exception;
    }
}
