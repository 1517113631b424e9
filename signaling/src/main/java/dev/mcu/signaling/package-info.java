package dev.mcu.signaling;
