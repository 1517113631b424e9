package dev.mcu.mixer;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MixerConfigTest {

    @Test
    void defaultsAreValid() {
        assertDoesNotThrow(() -> MixerConfig.defaults().validate());
    }

    @Test
    void outOfRangeSettingsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MixerConfig.defaults().withLoudestN(0).validate());
        assertTrue(e.getMessage().startsWith("loudestN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MixerConfig.defaults().withVideoCodecs(List.of("H265")).validate());
        assertTrue(e.getMessage().contains("H265"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MixerConfig.defaults().withVideoCodecs(List.of()).validate());
    }
}
