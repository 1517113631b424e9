package dev.mcu.signaling;

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

/** Every file the build puts under web/ is served from memory (see SignalingService.client). */
class ClientFilesTest {

    @Test
    void theInMemoryListNamesEveryFileOfTheClient() throws Exception {
        URL index = getClass().getClassLoader().getResource("web/index.html");
        assertNotNull(index, "web/index.html on the classpath");
        Path root = Path.of(index.toURI()).getParent();
        Set<String> built;
        try (Stream<Path> files = Files.walk(root)) {
            built = files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(built, new TreeSet<>(SignalingService.CLIENT_FILES),
                "add new client files to SignalingService.CLIENT_FILES");
    }
}
