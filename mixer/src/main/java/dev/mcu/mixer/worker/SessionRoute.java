package dev.mcu.mixer.worker;

/** Where a participant's client session lives: a signaling node and a session on it. */
record SessionRoute(String node, String session) {
}
