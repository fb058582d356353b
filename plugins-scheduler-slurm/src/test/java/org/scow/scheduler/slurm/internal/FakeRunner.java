package org.scow.scheduler.slurm.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link CommandRunner} for unit tests: answers each command by the most recently registered rule whose text
 * occurs in the command line (program name plus arguments, space-separated), and records every command it was given.
 */
final class FakeRunner implements CommandRunner {
    final List<Command> commands = new ArrayList<>();
    private final Map<String, CommandResult> rules = new LinkedHashMap<>();

    FakeRunner on(String fragment, String stdout) {
        return on(fragment, new CommandResult(0, stdout, ""));
    }

    FakeRunner on(String fragment, CommandResult result) {
        rules.remove(fragment);
        rules.put(fragment, result);
        return this;
    }

    @Override
    public CommandResult run(Command command) {
        commands.add(command);
        String line = line(command);
        List<Map.Entry<String, CommandResult>> newestFirst = new ArrayList<>(rules.entrySet());
        Collections.reverse(newestFirst);
        return newestFirst.stream().filter(e -> line.contains(e.getKey())).map(Map.Entry::getValue)
                .findFirst().orElse(new CommandResult(0, "", ""));
    }

    /** The command line as "program arg arg ...", program without its directory. */
    static String line(Command c) {
        List<String> words = new ArrayList<>(c.argv());
        words.set(0, c.program());
        return String.join(" ", words);
    }

    /** Recorded command lines containing {@code fragment}. */
    List<String> lines(String fragment) {
        return commands.stream().map(FakeRunner::line).filter(l -> l.contains(fragment)).toList();
    }

    @Override
    public void close() {
    }
}
