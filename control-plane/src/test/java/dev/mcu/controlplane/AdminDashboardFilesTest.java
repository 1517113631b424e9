package dev.mcu.controlplane;

import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Every file of the dashboard is served from memory (see AdminDashboard). */
class AdminDashboardFilesTest {

    @Test
    void theInMemoryListNamesEveryFileOfTheDashboard() throws Exception {
        URL index = getClass().getClassLoader().getResource("admin/index.html");
        assertNotNull(index);
        Path root = Path.of(index.toURI()).getParent();
        Set<String> built;
        try (Stream<Path> files = Files.walk(root)) {
            built = files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(built, new TreeSet<>(AdminDashboard.FILES));
    }
}
