package org.scow.apps.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app definitions in a directory ({@code etc/apps/*.yaml}), re-read whenever a file changed, so an
 * administrator adds, edits or removes an app without a build or restart. A file that does not validate is left
 * out and reported ({@link #problems()}, and once per change in the log).
 */
public final class AppCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(AppCatalog.class);
    private static final long MAX_FILE = 256 * 1024;

    private final Path dir;
    private final Map<Path, Entry> cache = new ConcurrentHashMap<>();

    private record Entry(FileTime modified, long size, AppDefinition app, String problem) {
    }

    public AppCatalog(Path dir) {
        this.dir = dir;
    }

    public Path directory() {
        return dir;
    }

    /** Every valid definition, sorted by id. */
    public List<AppDefinition> apps() {
        return entries().stream().filter(e -> e.app() != null).map(Entry::app)
                .sorted(java.util.Comparator.comparing(AppDefinition::id)).toList();
    }

    public Optional<AppDefinition> app(String id) {
        return apps().stream().filter(a -> a.id().equals(id)).findFirst();
    }

    /** Why files were left out, each naming the file and the field. */
    public List<String> problems() {
        return entries().stream().filter(e -> e.problem() != null).map(Entry::problem).sorted().toList();
    }

    private synchronized List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        List<Path> seen = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.yaml")) {
                for (Path f : files) {
                    seen.add(f);
                    out.add(entry(f));
                }
            } catch (IOException e) {
                LOG.warn("Cannot list the app definitions in {}", dir, e);
            }
        }
        cache.keySet().retainAll(seen);
        return out;
    }

    private Entry entry(Path f) {
        try {
            FileTime modified = Files.getLastModifiedTime(f);
            long size = Files.size(f);
            Entry cached = cache.get(f);
            if (cached != null && cached.modified().equals(modified) && cached.size() == size) {
                return cached;
            }
            Entry e;
            if (size > MAX_FILE) {
                e = new Entry(modified, size, null, f.getFileName() + ": larger than " + MAX_FILE + " bytes");
            } else {
                try {
                    e = new Entry(modified, size, DefinitionReader.read(f.getFileName().toString(),
                            Files.readString(f, StandardCharsets.UTF_8)), null);
                } catch (DefinitionException ex) {
                    e = new Entry(modified, size, null, ex.getMessage());
                }
            }
            if (e.problem() != null) {
                LOG.warn("App definition left out: {}", e.problem());
            } else {
                LOG.info("App definition {} loaded from {}", e.app().id(), f);
            }
            cache.put(f, e);
            return e;
        } catch (IOException ex) {
            return new Entry(null, -1, null, f.getFileName() + ": cannot be read: " + ex.getMessage());
        }
    }
}
